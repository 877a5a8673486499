import { env, loadConfig, LOG_ENV, CORE_ENV, type ConfigOf } from '@sandcastle/config';

export const notifierEnv = {
  ...LOG_ENV,
  ...CORE_ENV,
  PORT: env.int({ default: 8084, min: 0, max: 65535 }),
};

export type NotifierConfig = ConfigOf<typeof notifierEnv>;

export function loadNotifierConfig(source: Record<string, string | undefined> = process.env): NotifierConfig {
  return loadConfig(notifierEnv, source);
}
