import { env } from './env';

/**
 * The connections every database-backed service shares (gateway, orchestrator, scheduler,
 * notifier). The executor takes only the NATS part: it never connects to the database.
 */
export const NATS_ENV = {
  NATS_URL: env.url({ default: 'nats://127.0.0.1:4222', protocols: ['nats:', 'tls:', 'ws:', 'wss:'] }),
  /** Prefix of every stream and subject (`sc` → SC_STEPS, sc.step.dispatch); tests use their own. */
  NATS_NAMESPACE: env.str({ default: 'sc', nonEmpty: true }),
  /**
   * Deliveries of one JetStream message before it is stored as a dead letter and terminated.
   * 20 with the handler-error backoff spans about 7 minutes (docs/configuration.md).
   */
  MESSAGE_MAX_DELIVERIES: env.int({ default: 20, min: 2, max: 1000 }),
};

export const CORE_ENV = {
  ...NATS_ENV,
  DATABASE_URL: env.url({
    default: 'postgres://postgres@127.0.0.1:5432/sandcastle',
    protocols: ['postgres:', 'postgresql:'],
  }),
  DB_POOL_SIZE: env.int({ default: 20, min: 2, max: 200 }),
  /** Opening a pool connection fails after this long instead of queueing requests forever. */
  DB_CONNECT_TIMEOUT_MS: env.int({ default: 5_000, min: 0, max: 600_000 }),
  /**
   * PostgreSQL cancels one statement after this long (lock waits included). Engine statements
   * take milliseconds; the default leaves two orders of magnitude. 0 = none.
   */
  DB_STATEMENT_TIMEOUT_MS: env.int({ default: 30_000, min: 0, max: 3_600_000 }),
  /** PostgreSQL ends a session idle inside an open transaction this long (its locks go). 0 = none. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: env.int({ default: 60_000, min: 0, max: 3_600_000 }),
};
