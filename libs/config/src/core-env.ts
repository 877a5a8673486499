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
};
