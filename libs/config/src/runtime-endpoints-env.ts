import { env } from './env';
import { accept, reject, type EnvSpec } from './env-spec';

/**
 * The operator's side of the trust boundary (docs/security.md): where agent runtimes live, and
 * which variables a workflow's `${VAR}` may read. Parsed here once for the gateway (which refuses
 * other endpoints when a workflow is saved or run) and the executor (which connects and sends the
 * credentials, only ever to these endpoints).
 */

/** A named runtime endpoint of SANDSTORM_ENDPOINTS (`gpu=http://sandstorm-gpu:8000`). */
export interface RuntimeEndpoint {
  name: string;
  /** Normalised (see `normaliseEndpointUrl`). */
  url: string;
}

/** `sandstorm_url: default` means SANDSTORM_URL, so no named endpoint may take this name. */
export const DEFAULT_ENDPOINT_NAME = 'default';

/** Letters, digits, `_` and `-`, starting with a letter: never mistaken for a URL or a `${VAR}`. */
export const ENDPOINT_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names that hold credentials or connection strings can never be allow-listed: a tenant can read
 * an allow-listed value (it may use it in a webhook URL it controls).
 */
const SECRET_LOOKING = /KEY|SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|DATABASE_URL|PRIVATE/i;

/** `http://Sandstorm:8000/` → `http://sandstorm:8000`: the form endpoints are compared in. */
export function normaliseEndpointUrl(url: string): string {
  return new URL(url.trim()).href.replace(/\/+$/, '');
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const endpointList: EnvSpec<RuntimeEndpoint[]> = {
  parse(raw) {
    if (raw === undefined || raw.trim() === '') return accept([]);
    const endpoints: RuntimeEndpoint[] = [];
    for (const entry of raw.split(',')) {
      if (entry.trim() === '') continue;
      const at = entry.indexOf('=');
      const name = (at < 0 ? entry : entry.slice(0, at)).trim();
      const url = at < 0 ? '' : entry.slice(at + 1).trim();
      // Messages name the endpoint, never its URL (it may carry credentials).
      if (!ENDPOINT_NAME.test(name)) {
        return reject(
          `must be a comma list of name=url with names of lower-case letters, digits, '_' and '-' starting with a letter (entry ${endpoints.length + 1})`,
        );
      }
      if (name === DEFAULT_ENDPOINT_NAME) {
        return reject(`'${DEFAULT_ENDPOINT_NAME}' is reserved for SANDSTORM_URL`);
      }
      if (!isHttpUrl(url)) return reject(`the endpoint '${name}' needs an http(s) URL`);
      if (endpoints.some((e) => e.name === name)) return reject(`the endpoint '${name}' is listed twice`);
      endpoints.push({ name, url: normaliseEndpointUrl(url) });
    }
    return accept(endpoints);
  },
};

const allowList: EnvSpec<string[]> = {
  parse(raw) {
    if (raw === undefined) return accept(['SANDSTORM_URL']);
    const names = [
      ...new Set(
        raw
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== ''),
      ),
    ];
    const bad = names.find((n) => !VARIABLE_NAME.test(n));
    if (bad !== undefined)
      return reject(`must be a comma list of variable names (got '${bad.slice(0, 40)}')`);
    const secret = names.find((n) => SECRET_LOOKING.test(n));
    if (secret !== undefined) {
      return reject(
        `must not name a secret: '${secret}' looks like one (a tenant can read allow-listed values)`,
      );
    }
    return accept(names);
  },
};

/**
 * Variables a workflow's `${VAR}` may reference; default just SANDSTORM_URL. On its own for the
 * services that resolve webhooks (`resolveEnvVars(url, allowListedEnv(WORKFLOW_ENV_ALLOWLIST))`).
 */
export const WORKFLOW_ENV = {
  WORKFLOW_ENV_ALLOWLIST: allowList,
};

export const RUNTIME_ENDPOINTS_ENV = {
  /** The default runtime endpoint (a step that names none); unset = simulated output. */
  SANDSTORM_URL: env.url({ optional: true, protocols: ['http:', 'https:'] }),
  /** More endpoints a workflow may name: `gpu=http://sandstorm-gpu:8000,eu=https://…`. */
  SANDSTORM_ENDPOINTS: endpointList,
  ...WORKFLOW_ENV,
};

export const OUTBOUND_ENV = {
  /**
   * Let calls to tenant-supplied URLs (callback_url, webhooks) reach loopback and private
   * addresses. Local development and tests only; metadata addresses stay refused.
   */
  WEBHOOK_ALLOW_PRIVATE: env.bool({ default: false }),
};

/** What the gateway and the executor know about the configured endpoints, ready to match against. */
export interface RuntimeEndpoints {
  /** SANDSTORM_URL, normalised; null when unset. */
  defaultUrl: string | null;
  /** SANDSTORM_ENDPOINTS, plus `default` → SANDSTORM_URL when it is set. */
  byName: ReadonlyMap<string, string>;
  /** Every configured endpoint URL (normalised) → its name. */
  byUrl: ReadonlyMap<string, string>;
  /** WORKFLOW_ENV_ALLOWLIST. */
  allowedVariables: readonly string[];
}

export function runtimeEndpointsOf(config: {
  SANDSTORM_URL?: string | undefined;
  SANDSTORM_ENDPOINTS: RuntimeEndpoint[];
  WORKFLOW_ENV_ALLOWLIST: string[];
}): RuntimeEndpoints {
  const defaultUrl =
    config.SANDSTORM_URL === undefined || config.SANDSTORM_URL.trim() === ''
      ? null
      : normaliseEndpointUrl(config.SANDSTORM_URL);
  const byName = new Map<string, string>();
  const byUrl = new Map<string, string>();
  if (defaultUrl !== null) {
    byName.set(DEFAULT_ENDPOINT_NAME, defaultUrl);
    byUrl.set(defaultUrl, DEFAULT_ENDPOINT_NAME);
  }
  for (const endpoint of config.SANDSTORM_ENDPOINTS) {
    byName.set(endpoint.name, endpoint.url);
    if (!byUrl.has(endpoint.url)) byUrl.set(endpoint.url, endpoint.name);
  }
  return { defaultUrl, byName, byUrl, allowedVariables: [...config.WORKFLOW_ENV_ALLOWLIST] };
}

/** The allow-listed variables' values, and nothing else of `source`. */
export function allowListedEnv(
  allowed: readonly string[],
  source: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of allowed) {
    const value = source[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}
