import {
  ConfigError,
  CORE_ENV,
  env,
  loadConfig,
  LIMITS_ENV,
  LOG_ENV,
  MODEL_REGISTRY_ENV,
  OUTBOUND_ENV,
  RUNTIME_ENDPOINTS_ENV,
  SHARED_SECRET_KEYS,
  STORAGE_ENV,
  type ConfigOf,
  type EnvSpec,
} from '@sandcastle/config';
import { createStorage } from '@sandcastle/storage';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

const SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

/** Secrets shorter than this are guessable or typos (a 32-character random string is ~190 bits). */
export const MIN_SECRET_LENGTH = 32;

/** A secret: unset, or at least MIN_SECRET_LENGTH characters. Never echoed in messages. */
const secret: EnvSpec<string | undefined> = {
  parse(raw) {
    if (raw === undefined) return { ok: true, value: undefined };
    return raw.length >= MIN_SECRET_LENGTH
      ? { ok: true, value: raw }
      : { ok: false, message: `must be at least ${MIN_SECRET_LENGTH} characters (got ${raw.length})` };
  },
};

/** A body size in the notation Express' body parser takes (`100kb`, `1mb`, `1048576`). */
const bodySize = (fallback: string): EnvSpec<string> => ({
  parse(raw) {
    const value = (raw ?? fallback).trim();
    return SIZE.test(value)
      ? { ok: true, value }
      : { ok: false, message: `must be a size such as 512kb or 1mb (got '${value}')` };
  },
});

/**
 * Express' `trust proxy`: `false`; a number of proxy hops in front of the gateway; or a comma
 * list of trusted proxy addresses / CIDRs (`loopback`, `10.0.0.0/8`, ...). Never plain `true`:
 * it would believe the leftmost X-Forwarded-For entry, which any client can write.
 */
export type TrustProxy = false | number | string[];

const trustProxy: EnvSpec<TrustProxy> = {
  parse(raw) {
    const value = (raw ?? 'false').trim();
    if (value === '' || value === 'false') return { ok: true, value: false };
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      return hops <= 10
        ? { ok: true, value: hops === 0 ? false : hops }
        : { ok: false, message: 'at most 10 hops' };
    }
    if (value === 'true') {
      return {
        ok: false,
        message: 'true would trust any X-Forwarded-For; give the number of proxy hops or their addresses',
      };
    }
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
    const bad = entries.find((e) => !named.has(e) && !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e));
    return bad === undefined
      ? { ok: true, value: entries }
      : { ok: false, message: `'${bad}' is neither an address, a CIDR nor loopback/linklocal/uniquelocal` };
  },
};

export const gatewayEnv = {
  ...LOG_ENV,
  ...CORE_ENV,
  ...LIMITS_ENV,
  /** The gateway reads storage for `GET /runs/{id}/artifacts/{name}`. */
  ...STORAGE_ENV,
  PORT: env.int({ default: 8080, min: 0, max: 65535 }),
  /** YAML files loaded into tenant `default` at boot (name = file name without extension). */
  WORKFLOWS_DIR: env.str({ default: './workflows', nonEmpty: true }),
  /**
   * SANDSTORM_URL (when set, `/health` reports whether Sandstorm answers), SANDSTORM_ENDPOINTS and
   * WORKFLOW_ENV_ALLOWLIST: what a workflow may name (docs/security.md). Must match the executors'.
   */
  ...RUNTIME_ENDPOINTS_ENV,
  /** The model registry: a workflow's models on the anthropic/openai runtimes must be in it. */
  ...MODEL_REGISTRY_ENV,
  /** callback_url and literal webhooks may point at private addresses (local development only). */
  ...OUTBOUND_ENV,
  /** Budget of a run that asks for none; 0 = no limit. */
  DEFAULT_MAX_COST_USD: env.num({ default: 0, min: 0 }),
  /** Every route but /health*, /metrics and /docs* needs an API key (X-API-Key or Bearer). */
  AUTH_REQUIRED: env.bool({ default: false }),
  /** The operator's key: creates keys for any tenant, reads across tenants. */
  ADMIN_API_KEY: secret,
  /** HMAC key under which API keys are stored; changing it invalidates every key. */
  API_KEY_SECRET: secret,
  /** Requests per minute per tenant and gateway replica; 0 = no limit. */
  RATE_LIMIT_PER_MINUTE: env.int({ default: 600, min: 0 }),
  /**
   * Requests per minute per client address and replica for callers without a tenant key:
   * every request with AUTH_REQUIRED=false, and refused (401) attempts with it on; 0 = no limit.
   */
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: env.int({ default: 1200, min: 0 }),
  /** Which proxies' X-Forwarded-For to believe: `false` (default), a hop count, or addresses/CIDRs. */
  TRUST_PROXY: trustProxy,
  /** SSE streams one tenant (or, anonymous, one client address) holds open per replica. */
  MAX_STREAMS_PER_TENANT: env.int({ default: 50, min: 1, max: 100_000 }),
  /** `POST /workflows/run/sync` waits one tenant (or client address) holds per replica. */
  MAX_SYNC_WAITS_PER_TENANT: env.int({ default: 20, min: 1, max: 100_000 }),
  /** The only origin allowed by CORS; unset = no CORS headers at all. */
  DASHBOARD_ORIGIN: env.url({ optional: true, protocols: ['http:', 'https:'] }),
  BODY_LIMIT: bodySize('1mb'),
};

export type GatewayConfig = ConfigOf<typeof gatewayEnv>;

/** Variables whose values never appear in logs. */
export const GATEWAY_SECRETS = ['ADMIN_API_KEY', 'API_KEY_SECRET', ...SHARED_SECRET_KEYS];

/**
 * Reads and checks the gateway's environment. API_KEY_SECRET is required as soon as keys are
 * checked (AUTH_REQUIRED=true) or can be made (ADMIN_API_KEY set): without it no key could be
 * hashed, and a gateway asked to require keys must not start and quietly serve everyone.
 */
export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const config = loadConfig(gatewayEnv, source);
  if ((config.AUTH_REQUIRED || config.ADMIN_API_KEY !== undefined) && config.API_KEY_SECRET === undefined) {
    const why = config.AUTH_REQUIRED ? 'AUTH_REQUIRED=true' : 'ADMIN_API_KEY is set';
    throw new ConfigError([
      {
        variable: 'API_KEY_SECRET',
        message: `is required when ${why} (at least ${MIN_SECRET_LENGTH} random characters, e.g. openssl rand -hex 32)`,
      },
    ]);
  }
  createStorage(config); // storage variables that cannot work together stop the boot, named
  return config;
}
