import {
  ConfigError,
  CORE_ENV,
  env,
  loadConfig,
  LOG_ENV,
  type ConfigOf,
  type EnvSpec,
} from '@sandcastle/config';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

const SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

/** A body size in the notation Express' body parser takes (`100kb`, `1mb`, `1048576`). */
const bodySize = (fallback: string): EnvSpec<string> => ({
  parse(raw) {
    const value = (raw ?? fallback).trim();
    return SIZE.test(value)
      ? { ok: true, value }
      : { ok: false, message: `must be a size such as 512kb or 1mb (got '${value}')` };
  },
});

export const gatewayEnv = {
  ...LOG_ENV,
  ...CORE_ENV,
  PORT: env.int({ default: 8080, min: 0, max: 65535 }),
  /** YAML files loaded into tenant `default` at boot (name = file name without extension). */
  WORKFLOWS_DIR: env.str({ default: './workflows', nonEmpty: true }),
  /** When set, `/health` reports whether Sandstorm answers. */
  SANDSTORM_URL: env.url({ optional: true, protocols: ['http:', 'https:'] }),
  /** Budget of a run that asks for none; 0 = no limit. */
  DEFAULT_MAX_COST_USD: env.num({ default: 0, min: 0 }),
  AUTH_REQUIRED: env.bool({ default: false }),
  /** The only origin allowed by CORS; unset = no CORS headers at all. */
  DASHBOARD_ORIGIN: env.url({ optional: true, protocols: ['http:', 'https:'] }),
  BODY_LIMIT: bodySize('1mb'),
};

export type GatewayConfig = ConfigOf<typeof gatewayEnv>;

/**
 * Reads and checks the gateway's environment. AUTH_REQUIRED=true is refused for now: API keys
 * do not exist yet, and a gateway that was asked to require them must not quietly serve
 * everyone instead.
 */
export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const config = loadConfig(gatewayEnv, source);
  if (config.AUTH_REQUIRED) {
    throw new ConfigError([
      {
        variable: 'AUTH_REQUIRED',
        message:
          'API keys are not implemented yet, so the gateway cannot require them; ' +
          'unset AUTH_REQUIRED (or set it to false) and keep the gateway on a private network',
      },
    ]);
  }
  return config;
}
