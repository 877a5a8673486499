import { hostname } from 'node:os';
import {
  allowListedEnv,
  env,
  LIMITS_ENV,
  loadConfig,
  LOG_ENV,
  MODEL_API_ENV,
  MODEL_REGISTRY_ENV,
  NATS_ENV,
  RUNTIME_ENDPOINTS_ENV,
  SHARED_SECRET_KEYS,
  STORAGE_ENV,
  type ConfigOf,
} from '@sandcastle/config';
import { createStorage } from '@sandcastle/storage';

export const EXECUTOR_CONFIG = Symbol('EXECUTOR_CONFIG');

/** Executors hold no database connection: everything a step needs travels in its dispatch. */
export const executorEnv = {
  ...LOG_ENV,
  PORT: env.int({ default: 8082, min: 0, max: 65535 }),
  ...NATS_ENV,
  ...LIMITS_ENV,
  /** Executors use storage directly (never the database): offloaded outputs, files, storage_write, {storage.PATH}. */
  ...STORAGE_ENV,
  EXECUTOR_ID: env.str({ default: `executor@${hostname()}:${process.pid}` }),
  /** Step attempts this process runs at once. */
  EXECUTOR_CONCURRENCY: env.int({ default: 32, min: 1, max: 1000 }),
  /**
   * A dispatch not acked nor heartbeated for this long goes to another executor: the recovery
   * time after an executor crash. A running attempt heartbeats (`working()`) four times per
   * period, so only a dead (or frozen for this long) executor loses its dispatch.
   */
  EXECUTOR_ACK_WAIT_MS: env.int({ default: 10_000, min: 1000, max: 600_000 }),
  /** On shutdown, how long running attempts may finish before they are aborted and handed back. */
  EXECUTOR_DRAIN_TIMEOUT_MS: env.int({ default: 20_000, min: 0, max: 600_000 }),
  /** An attempt still running after this long is reported as started (`running`, deadline refreshed). */
  STEP_STARTED_DELAY_MS: env.int({ default: 250, min: 0, max: 60_000 }),
  ...RUNTIME_ENDPOINTS_ENV,
  /** Sent only to the configured endpoints (SANDSTORM_URL, SANDSTORM_ENDPOINTS). */
  SANDSTORM_API_KEY: env.str({ optional: true }),
  ANTHROPIC_API_KEY: env.str({ optional: true }),
  E2B_API_KEY: env.str({ optional: true }),
  ...MODEL_REGISTRY_ENV,
  ...MODEL_API_ENV,
  SIMULATED_LATENCY_MS: env.int({ default: 400, min: 0, max: 3_600_000 }),
  SIMULATED_COST_USD: env.num({ default: 0.002, min: 0, max: 1000 }),
  SIMULATED_FAILURE_RATE: env.num({ default: 0, min: 0, max: 1 }),
};

export type ExecutorConfig = ConfigOf<typeof executorEnv> & {
  /**
   * The values of WORKFLOW_ENV_ALLOWLIST's variables, read once at boot: the only part of the
   * environment a workflow's `${VAR}` can ever resolve against.
   */
  WORKFLOW_ENV: Readonly<Record<string, string>>;
  /**
   * The model registry's key variables that are set (`key_variable` → value): the only keys the
   * model API runtimes send, each only to its own endpoint. Never from a workflow.
   */
  MODEL_KEYS: ReadonlyMap<string, string>;
};

/** Variables whose values never appear in logs. */
export const EXECUTOR_SECRETS = [
  'SANDSTORM_API_KEY',
  'ANTHROPIC_API_KEY',
  'E2B_API_KEY',
  'MODEL_KEYS',
  ...SHARED_SECRET_KEYS,
];

export function loadExecutorConfig(source: Record<string, string | undefined> = process.env): ExecutorConfig {
  const config = loadConfig(executorEnv, source);
  createStorage(config); // storage variables that cannot work together stop the boot, named
  const keys = new Map<string, string>();
  for (const endpoint of config.MODEL_REGISTRY_FILE.endpoints.values()) {
    const value = endpoint.keyVariable === null ? undefined : source[endpoint.keyVariable];
    if (endpoint.keyVariable !== null && value !== undefined && value.trim() !== '') {
      keys.set(endpoint.keyVariable, value.trim());
    }
  }
  return {
    ...config,
    WORKFLOW_ENV: allowListedEnv(config.WORKFLOW_ENV_ALLOWLIST, source),
    MODEL_KEYS: keys,
  };
}
