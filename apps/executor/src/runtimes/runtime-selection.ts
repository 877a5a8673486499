import type { RuntimeKind } from '@sandcastle/contracts';
import { isHttpUrl, resolveEnvVars } from '@sandcastle/workflow';

export interface RuntimeSelectionEnv {
  SANDSTORM_URL?: string;
  [k: string]: string | undefined;
}

export type RuntimeSelection =
  { kind: 'sandstorm'; baseUrl: string } | { kind: 'simulated' } | { kind: 'error'; message: string };

type UrlSource = { url: string; from: string } | { url: null; note: string };

/** The workflow's `sandstorm_url` wins over SANDSTORM_URL; an empty result counts as not set. */
function findSandstormUrl(sandstormUrl: string | null, env: RuntimeSelectionEnv): UrlSource {
  const fromWorkflow = sandstormUrl === null ? '' : resolveEnvVars(sandstormUrl, env).trim();
  if (fromWorkflow) return { url: fromWorkflow, from: `the workflow's sandstorm_url "${sandstormUrl}"` };
  const fromEnv = (env.SANDSTORM_URL ?? '').trim();
  if (fromEnv) return { url: fromEnv, from: 'SANDSTORM_URL' };
  const note = sandstormUrl?.trim()
    ? ` (the workflow's sandstorm_url "${sandstormUrl}" resolves to nothing)`
    : '';
  return { url: null, note };
}

/**
 * Picks the runtime for one dispatch: an explicit step/workflow `runtime` decides; otherwise a
 * Sandstorm URL (workflow `sandstorm_url` after `${VAR}` resolution, else SANDSTORM_URL) means
 * sandstorm, and no URL means simulated. Errors are for the user: they say what to set.
 */
export function selectRuntime(
  d: { runtime: RuntimeKind | null; sandstormUrl: string | null },
  env: RuntimeSelectionEnv,
): RuntimeSelection {
  if (d.runtime === 'simulated') return { kind: 'simulated' };
  const found = findSandstormUrl(d.sandstormUrl, env);
  if (found.url === null) {
    if (d.runtime === null) return { kind: 'simulated' };
    return {
      kind: 'error',
      message:
        `runtime "sandstorm" needs a Sandstorm URL: set sandstorm_url in the workflow or SANDSTORM_URL ` +
        `on the executor${found.note}`,
    };
  }
  if (!isHttpUrl(found.url)) {
    return { kind: 'error', message: `${found.from} gives "${found.url}", which is not an http(s) URL` };
  }
  return { kind: 'sandstorm', baseUrl: found.url };
}

/** One line for the executor's start log saying what runs a step that names no runtime. */
export function describeDefaultRuntime(env: RuntimeSelectionEnv): string {
  const url = (env.SANDSTORM_URL ?? '').trim();
  if (!url) {
    return (
      'default runtime: simulated — SANDSTORM_URL is not set; steps return simulated output ' +
      'unless their workflow sets sandstorm_url or runtime'
    );
  }
  if (!isHttpUrl(url)) return `default runtime: none — SANDSTORM_URL "${url}" is not an http(s) URL`;
  return `default runtime: sandstorm at ${url} (SANDSTORM_URL)`;
}
