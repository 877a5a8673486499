import { env, loadConfig, LOG_ENV, CORE_ENV, type ConfigOf } from '@sandcastle/config';

export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');

export const schedulerEnv = {
  ...LOG_ENV,
  ...CORE_ENV,
  PORT: env.int({ default: 8083, min: 0, max: 65535 }),
  /** How often due times are checked; at most 1 s so 6-field crons every 2 s fire on time. */
  SCHEDULER_TICK_MS: env.int({ default: 250, min: 20, max: 1000 }),
  /** Most schedules fired by one replica in one tick (each in its own short transaction). */
  SCHEDULER_BATCH_SIZE: env.int({ default: 100, min: 1, max: 10_000 }),
  /**
   * A fire this late after its due time is marked a catch-up even when no other due time was
   * missed (the scheduler was down, or the database was unreachable, for that long).
   */
  SCHEDULER_CATCH_UP_AFTER_MS: env.int({ default: 30_000, min: 1000, max: 86_400_000 }),
  /** Budget of a scheduled run that sets none (same rule as the gateway's runs). */
  DEFAULT_MAX_COST_USD: env.num({ default: 0, min: 0 }),
};

export type SchedulerConfig = ConfigOf<typeof schedulerEnv>;

export function loadSchedulerConfig(
  source: Record<string, string | undefined> = process.env,
): SchedulerConfig {
  return loadConfig(schedulerEnv, source);
}
