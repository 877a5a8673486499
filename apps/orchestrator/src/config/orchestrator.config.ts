import {
  env,
  loadConfig,
  LIMITS_ENV,
  LOG_ENV,
  CORE_ENV,
  retentionByTenant,
  STORAGE_ENV,
  STORAGE_RETENTION_ENV,
  type ConfigOf,
} from '@sandcastle/config';
import { createStorage } from '@sandcastle/storage';

export const ORCHESTRATOR_CONFIG = Symbol('ORCHESTRATOR_CONFIG');

export const orchestratorEnv = {
  ...LOG_ENV,
  ...CORE_ENV,
  ...LIMITS_ENV,
  ...STORAGE_ENV,
  ...STORAGE_RETENTION_ENV,
  PORT: env.int({ default: 8081, min: 0, max: 65535 }),
  /** Handlers running at once in this process (different runs run in parallel). */
  ORCHESTRATOR_CONCURRENCY: env.int({ default: 64, min: 1, max: 1024 }),
  /** Most messages applied in one transaction (group commit). */
  TRANSITION_BATCH_SIZE: env.int({ default: 64, min: 1, max: 1000 }),
  /** Most transactions written at the same time (a further one only for a backlog of half a batch); each holds one pooled connection. */
  TRANSITION_BATCHES_IN_FLIGHT: env.int({ default: 4, min: 1, max: 64 }),
  /** Operations waiting that open a batch beside one in flight; unset: half of TRANSITION_BATCH_SIZE. */
  TRANSITION_PARALLEL_BACKLOG: env.int({ optional: true, min: 1, max: 1000 }),
  /**
   * A command or result not acked (nor heartbeated) for this long goes to another orchestrator
   * replica: the recovery time after an orchestrator crash. Handlers heartbeat while they wait on
   * the database, so a slow transaction is not redelivered.
   */
  ORCHESTRATOR_ACK_WAIT_MS: env.int({ default: 10_000, min: 1000, max: 600_000 }),
  RECONCILE_INTERVAL_MS: env.int({ default: 250, min: 20, max: 60_000 }),
  /** Extra time after a step's timeout before its attempt is presumed lost. */
  LOST_ATTEMPT_GRACE_SECONDS: env.int({ default: 30, min: 1, max: 3600 }),
  /** How long a dispatched attempt may wait for a free executor before it counts as lost. */
  QUEUE_ALLOWANCE_SECONDS: env.int({ default: 600, min: 1, max: 86_400 }),
  /** A queued run older than this without a start is started by the reconciler. */
  STALE_QUEUED_RUN_SECONDS: env.int({ default: 10, min: 1, max: 3600 }),
  /** Failed publish tries after which an outbox message is set aside (not retried; see check:consistency). */
  OUTBOX_MAX_PUBLISH_ATTEMPTS: env.int({ default: 5, min: 1, max: 1000 }),
  /** Upper bound of a fan-out step's `max_concurrency` (items queued or running at once). */
  MAX_FAN_OUT_CONCURRENCY: env.int({ default: 100, min: 1, max: 10_000 }),
  /** Attempts a tenant may have queued or running at once over all its runs; more wait (0 = no cap). */
  MAX_RUNNING_ATTEMPTS_PER_TENANT: env.int({ default: 50, min: 0, max: 100_000 }),
};

export type OrchestratorConfig = ConfigOf<typeof orchestratorEnv>;

export function loadOrchestratorConfig(
  source: Record<string, string | undefined> = process.env,
): OrchestratorConfig {
  const config = loadConfig(orchestratorEnv, source);
  // Storage variables that cannot work together, or a malformed retention list, stop the boot here.
  createStorage(config);
  retentionByTenant(config.STORAGE_RETENTION_DAYS_BY_TENANT);
  return config;
}
