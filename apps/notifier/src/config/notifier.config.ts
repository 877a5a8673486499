import {
  CORE_ENV,
  env,
  loadConfig,
  LOG_ENV,
  OUTBOUND_ENV,
  WORKFLOW_ENV,
  type ConfigOf,
} from '@sandcastle/config';

export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

export const notifierEnv = {
  ...LOG_ENV,
  ...CORE_ENV,
  ...OUTBOUND_ENV,
  PORT: env.int({ default: 8084, min: 0, max: 65535 }),
  /** HMAC-SHA256 key of X-Sandcastle-Signature; unset = webhooks go out unsigned (a warning at boot). */
  WEBHOOK_SECRET: env.str({ optional: true }),
  /** WORKFLOW_ENV_ALLOWLIST: the only variables a workflow webhook's `${VAR}` resolves (same list as the gateway's). */
  ...WORKFLOW_ENV,
  /** One attempt: DNS, connect, request and answer. */
  WEBHOOK_TIMEOUT_MS: env.int({ default: 10_000, min: 100, max: 120_000 }),
  /** How long a delivery is retried after the run ended before it is given up (default 1 h). */
  WEBHOOK_RETRY_WINDOW_MS: env.int({ default: 3_600_000, min: 1000, max: 7 * 86_400_000 }),
  /** Delay before the 2nd attempt; doubles each time (with jitter) up to the maximum. */
  WEBHOOK_RETRY_BASE_MS: env.int({ default: 5000, min: 10, max: 3_600_000 }),
  WEBHOOK_RETRY_MAX_DELAY_MS: env.int({ default: 600_000, min: 10, max: 86_400_000 }),
  /** A receiver's Retry-After is honoured up to this long. */
  WEBHOOK_RETRY_AFTER_MAX_MS: env.int({ default: 900_000, min: 0, max: 86_400_000 }),
  /** How often due deliveries are looked for. */
  NOTIFIER_POLL_MS: env.int({ default: 250, min: 10, max: 60_000 }),
  /** Deliveries one replica sends at the same time. */
  NOTIFIER_CONCURRENCY: env.int({ default: 16, min: 1, max: 1000 }),
  /** An event not acked within this time goes to another notifier replica. */
  NOTIFIER_ACK_WAIT_MS: env.int({ default: 10_000, min: 1000, max: 600_000 }),
  /** Where people open a run (the dashboard); Slack messages link to `<PUBLIC_BASE_URL>/runs/<id>`. */
  PUBLIC_BASE_URL: env.url({ default: 'http://localhost:8080', protocols: ['http:', 'https:'] }),
};

export type NotifierConfig = ConfigOf<typeof notifierEnv>;

export function loadNotifierConfig(source: Record<string, string | undefined> = process.env): NotifierConfig {
  return loadConfig(notifierEnv, source);
}
