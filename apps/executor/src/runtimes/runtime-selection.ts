import type { RuntimeKind } from '@sandcastle/contracts';
import { DEFAULT_ENDPOINT_NAME, type ModelRegistry, type RuntimeEndpoints } from '@sandcastle/config';
import { normaliseUrl, sandstormTargetOf } from '@sandcastle/workflow';

/**
 * What the executor knows of the operator's endpoints: the configured endpoints, and the values
 * of the allow-listed variables only (never the rest of its environment).
 */
export interface EndpointTable {
  endpoints: RuntimeEndpoints;
  /** WORKFLOW_ENV_ALLOWLIST's variables that are set, with their values. */
  allowedEnv: Readonly<Record<string, string>>;
}

export type RuntimeSelection =
  | { kind: 'sandstorm'; baseUrl: string; endpoint: string }
  /** A model API runtime: the models of the chain, each on the runtime its registry entry names. */
  | { kind: 'models'; chain: string[] }
  | { kind: 'simulated' }
  | { kind: 'error'; message: string };

type Found = { url: string; endpoint: string } | { url: null } | { error: string };

/**
 * The workflow's `sandstorm_url` → a configured endpoint. It can only ever pick one of the
 * operator's endpoints: an allow-listed `${VAR}` whose value is one of them, an endpoint's name,
 * or exactly an endpoint's URL. Messages name the field and the variable or endpoint name, never
 * a resolved value or a configured URL: they end up in the run, its events and the logs.
 */
function findEndpoint(sandstormUrl: string | null, table: EndpointTable): Found {
  const { endpoints, allowedEnv } = table;
  if (sandstormUrl === null || sandstormUrl.trim() === '') return fallback(endpoints);
  const target = sandstormTargetOf(sandstormUrl);
  switch (target.kind) {
    case 'variable': {
      if (!endpoints.allowedVariables.includes(target.name)) {
        return {
          error: `sandstorm_url: \${${target.name}} is not an allowed variable (WORKFLOW_ENV_ALLOWLIST)`,
        };
      }
      const value = allowedEnv[target.name];
      // Unset resolves to "no URL" (the default endpoint), never to a literal "${VAR}".
      if (value === undefined || value.trim() === '') return fallback(endpoints);
      const url = safeNormalise(value);
      const endpoint = url === null ? undefined : endpoints.byUrl.get(url);
      if (url === null || endpoint === undefined) {
        return {
          error: `sandstorm_url: the value of \${${target.name}} is not a configured runtime endpoint`,
        };
      }
      return { url, endpoint };
    }
    case 'endpoint': {
      const url = endpoints.byName.get(target.name);
      if (url === undefined) {
        return { error: `sandstorm_url: no runtime endpoint named '${target.name}' is configured` };
      }
      return { url, endpoint: target.name };
    }
    case 'url': {
      const endpoint = endpoints.byUrl.get(target.url);
      if (endpoint === undefined) return { error: 'sandstorm_url is not a configured runtime endpoint' };
      return { url: target.url, endpoint };
    }
    case 'invalid':
      return { error: 'sandstorm_url is not a configured runtime endpoint' };
  }
}

function fallback(endpoints: RuntimeEndpoints): Found {
  return endpoints.defaultUrl === null
    ? { url: null }
    : { url: endpoints.defaultUrl, endpoint: DEFAULT_ENDPOINT_NAME };
}

function safeNormalise(value: string): string | null {
  try {
    return normaliseUrl(value);
  } catch {
    return null;
  }
}

/**
 * Picks the runtime for one dispatch: an explicit step/workflow `runtime` decides; otherwise an
 * endpoint (the workflow's `sandstorm_url`, else SANDSTORM_URL) means sandstorm, and none means
 * simulated. A `sandstorm_url` that is not a configured endpoint is an error even with
 * `runtime: simulated` unset: the gateway refuses such workflows, so one arriving here was stored
 * before, or the operator's configuration changed since.
 */
export function selectRuntime(
  d: {
    runtime: RuntimeKind | null;
    sandstormUrl: string | null;
    model?: string;
    models?: string[] | undefined;
  },
  table: EndpointTable,
): RuntimeSelection {
  if (d.runtime === 'simulated') return { kind: 'simulated' };
  if (d.runtime === 'anthropic' || d.runtime === 'openai') {
    const chain =
      d.models !== undefined && d.models.length > 0 ? d.models : d.model !== undefined ? [d.model] : [];
    return { kind: 'models', chain };
  }
  const found = findEndpoint(d.sandstormUrl, table);
  if ('error' in found) return { kind: 'error', message: found.error };
  if (found.url === null) {
    if (d.runtime === null) return { kind: 'simulated' };
    return {
      kind: 'error',
      message:
        'runtime "sandstorm" needs a runtime endpoint: the operator sets SANDSTORM_URL (or SANDSTORM_ENDPOINTS ' +
        'and the workflow names one)',
    };
  }
  return { kind: 'sandstorm', baseUrl: found.url, endpoint: found.endpoint };
}

/** One line for the start log: the model API runtimes, their models, and which can be called. */
export function describeModelRuntimes(registry: ModelRegistry, keys: ReadonlyMap<string, string>): string {
  const endpoints = [...registry.endpoints.values()].map((e) => {
    const models = [...registry.models.values()].filter((m) => m.endpoint === e.name).map((m) => m.alias);
    const ready = e.keyVariable === null || keys.has(e.keyVariable);
    const state = ready ? 'ready' : `off (${e.keyVariable} not set)`;
    return `${e.name} [${e.runtime}] ${state}: ${models.join(', ') || 'no models'}`;
  });
  return `model API runtimes (registry ${registry.source}): ${endpoints.join('; ') || 'none'}`;
}

/** One line for the executor's start log saying what runs a step that names no runtime. */
export function describeDefaultRuntime(endpoints: RuntimeEndpoints): string {
  const named = [...endpoints.byName.keys()].filter((n) => n !== DEFAULT_ENDPOINT_NAME);
  const others = named.length > 0 ? `; named endpoints: ${named.join(', ')}` : '';
  if (endpoints.defaultUrl === null) {
    return (
      'default runtime: simulated — SANDSTORM_URL is not set; steps return simulated output ' +
      `unless their workflow names an endpoint or sets runtime${others}`
    );
  }
  return `default runtime: sandstorm at ${new URL(endpoints.defaultUrl).origin} (SANDSTORM_URL)${others}`;
}
