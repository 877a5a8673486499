import { env } from './env';

/**
 * Variables that the shared libraries read, as spec fragments a service spreads into its own
 * spec, so every service names, defaults and validates them the same way (docs/configuration.md):
 *
 *   const config = loadConfig({ ...LOG_ENV, ...STORAGE_ENV, PORT: env.int({ default: 3000, min: 0, max: 65535 }) });
 */
export const LOG_ENV = {
  /** Same values as `LogLevel` in @sandcastle/observability. */
  LOG_LEVEL: env.oneOf(['debug', 'info', 'warn', 'error'], { default: 'info' }),
  /**
   * OpenTelemetry collector (OTLP over HTTP, JSON) that receives the spans of every request,
   * message and schedule firing, e.g. `http://otel-collector:4318`. Unset: no export (the
   * trace context still travels and appears in the logs as `trace_id`).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.url({ optional: true, protocols: ['http:', 'https:'] }),
};

export const STORAGE_ENV = {
  STORAGE_BACKEND: env.oneOf(['local', 's3'], { default: 'local' }),
  STORAGE_BUCKET: env.str({ default: 'sandcastle-data', nonEmpty: true }),
  /** S3-compatible endpoint, e.g. `http://minio:9000`; unset means AWS S3. */
  STORAGE_ENDPOINT: env.url({ optional: true, protocols: ['http:', 'https:'] }),
  STORAGE_LOCAL_DIR: env.str({ default: './data/storage', nonEmpty: true }),
  AWS_ACCESS_KEY_ID: env.str({ optional: true }),
  AWS_SECRET_ACCESS_KEY: env.str({ optional: true }),
  /** Bucket region; unset means us-east-1 with an endpoint, auto-detected on AWS. */
  AWS_REGION: env.str({ optional: true }),
};

/** Keys of the fragments above to pass to `describeConfig` as secrets. */
export const SHARED_SECRET_KEYS = ['AWS_SECRET_ACCESS_KEY'];
