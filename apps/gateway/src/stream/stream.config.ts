import { env, loadConfig, type ConfigOf } from '@sandcastle/config';

export const STREAM_CONFIG = Symbol('STREAM_CONFIG');

export const streamEnv = {
  /**
   * How often an open stream sends a `: keep-alive` comment. Proxies and load balancers close
   * connections that stay silent (often after 30-60 s); tests set it low.
   */
  SSE_HEARTBEAT_MS: env.int({ default: 15_000, min: 10, max: 300_000 }),
};

export type StreamConfig = ConfigOf<typeof streamEnv>;

/**
 * The stream's own settings, read from the environment when the module is built (a bad value
 * stops the gateway at boot, naming the variable).
 */
export function loadStreamConfig(source: Record<string, string | undefined> = process.env): StreamConfig {
  return loadConfig(streamEnv, source);
}
