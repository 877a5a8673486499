import { ConfigError } from './config-error';
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
  STORAGE_LOCAL_DIR: env.str({ default: '.sandcastle/storage', nonEmpty: true }),
  AWS_ACCESS_KEY_ID: env.str({ optional: true }),
  AWS_SECRET_ACCESS_KEY: env.str({ optional: true }),
  /** Bucket region; unset means us-east-1 with an endpoint, auto-detected on AWS. */
  AWS_REGION: env.str({ optional: true }),
  /** `auto`: path-style URLs with STORAGE_ENDPOINT (MinIO, R2), virtual-host URLs without (AWS). */
  STORAGE_PATH_STYLE: env.oneOf(['auto', 'true', 'false'], { default: 'auto' }),
};

/**
 * Retention of run artifacts (read by the orchestrator, whose sweep enforces it; docs/storage.md).
 * 0 days keeps artifacts forever. `STORAGE_RETENTION_DAYS_BY_TENANT` overrides it per tenant:
 * `acme=7,bigco=365` (checked at boot by `retentionByTenant`).
 */
export const STORAGE_RETENTION_ENV = {
  STORAGE_RETENTION_DAYS: env.int({ default: 0, min: 0, max: 36_500 }),
  STORAGE_RETENTION_DAYS_BY_TENANT: env.str({ optional: true }),
  STORAGE_SWEEP_INTERVAL_MS: env.int({ default: 3_600_000, min: 1000, max: 86_400_000 }),
};

/** `acme=7,bigco=365` → {acme: 7, bigco: 365}; a malformed entry stops the service, naming the variable. */
export function retentionByTenant(raw: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (raw === undefined || raw.trim() === '') return out;
  for (const entry of raw.split(',')) {
    const match = /^\s*([^=\s]{1,100})\s*=\s*(\d{1,5})\s*$/.exec(entry);
    if (!match || Number(match[2]) > 36_500) {
      throw new ConfigError([
        {
          variable: 'STORAGE_RETENTION_DAYS_BY_TENANT',
          message: `must be a comma-separated list of tenant=days (days 0-36500), e.g. acme=7,bigco=365 (got '${entry.trim().slice(0, 80)}')`,
        },
      ]);
    }
    out[match[1]!] = Number(match[2]);
  }
  return out;
}

/** Keys of the fragments above to pass to `describeConfig` as secrets. */
export const SHARED_SECRET_KEYS = ['AWS_SECRET_ACCESS_KEY'];
