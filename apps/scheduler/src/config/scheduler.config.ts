import { env, loadConfig, LOG_ENV, CORE_ENV, type ConfigOf } from '@sandcastle/config';

export const schedulerEnv = {
  ...LOG_ENV,
  ...CORE_ENV,
  PORT: env.int({ default: 8083, min: 0, max: 65535 }),
};

export type SchedulerConfig = ConfigOf<typeof schedulerEnv>;

export function loadSchedulerConfig(
  source: Record<string, string | undefined> = process.env,
): SchedulerConfig {
  return loadConfig(schedulerEnv, source);
}
