import type { FieldProblem } from '@sandcastle/contracts';
import { envVarNames } from '../templates/env-vars.util';
import { isHttpUrl } from './url-field.util';

/**
 * The operator's trust boundary as the parser sees it (docs/security.md). The gateway builds it
 * from its configuration (SANDSTORM_URL, SANDSTORM_ENDPOINTS, WORKFLOW_ENV_ALLOWLIST); this
 * library only compares strings, it reads no environment.
 */
export interface EndpointPolicy {
  /** Variables a workflow's `${VAR}` may reference. */
  envAllowList: readonly string[];
  /** Names of the configured runtime endpoints (`default` when SANDSTORM_URL is set). */
  endpointNames: readonly string[];
  /** URLs of the configured runtime endpoints, normalised (`normaliseUrl`). */
  endpointUrls: readonly string[];
}

/** What a `sandstorm_url` value asks for, before anything is resolved. */
export type SandstormTarget =
  | { kind: 'variable'; name: string }
  | { kind: 'endpoint'; name: string }
  | { kind: 'url'; url: string }
  | { kind: 'invalid' };

const WHOLE_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const ENDPOINT_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** `http://Sandstorm:8000/` → `http://sandstorm:8000`: how endpoint URLs are compared. */
export function normaliseUrl(url: string): string {
  return new URL(url.trim()).href.replace(/\/+$/, '');
}

/**
 * Exactly one `${VAR}`, an endpoint name, or an http(s) URL. A variable inside a longer value
 * (`https://${HOST}/x`) is invalid for sandstorm_url: the tenant would choose the rest of the
 * address the credentials go to.
 */
export function sandstormTargetOf(value: string): SandstormTarget {
  const text = value.trim();
  const variable = WHOLE_VARIABLE.exec(text);
  if (variable) return { kind: 'variable', name: variable[1] ?? '' };
  if (ENDPOINT_NAME.test(text)) return { kind: 'endpoint', name: text };
  if (!text.includes('${') && isHttpUrl(text)) return { kind: 'url', url: normaliseUrl(text) };
  return { kind: 'invalid' };
}

/** The fields of a definition that name an outside address. */
export interface EndpointFields {
  sandstormUrl: string | null;
  onComplete: { webhook: string | null } | null;
  onFailure: { webhook: string | null } | null;
}

/**
 * Checks a definition's addresses against the policy. Used by the parser and again by the
 * gateway on stored definitions when they are run (the operator's configuration may have changed
 * since they were saved). Messages never contain a resolved value or a configured URL.
 */
export function endpointProblems(fields: EndpointFields, policy: EndpointPolicy): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (fields.sandstormUrl !== null) {
    const message = sandstormUrlProblem(fields.sandstormUrl, policy);
    if (message !== null) problems.push({ field: 'sandstorm_url', message });
  }
  for (const [field, value] of [
    ['on_complete.webhook', fields.onComplete?.webhook ?? null],
    ['on_failure.webhook', fields.onFailure?.webhook ?? null],
  ] as const) {
    if (value === null) continue;
    for (const name of envVarNames(value)) {
      if (!policy.envAllowList.includes(name))
        problems.push({ field, message: notAllowed(field, name, policy) });
    }
  }
  return problems;
}

function sandstormUrlProblem(value: string, policy: EndpointPolicy): string | null {
  const target = sandstormTargetOf(value);
  switch (target.kind) {
    case 'variable':
      return policy.envAllowList.includes(target.name)
        ? null
        : notAllowed('sandstorm_url', target.name, policy);
    case 'endpoint':
      if (policy.endpointNames.includes(target.name)) return null;
      return `sandstorm_url: no runtime endpoint named '${target.name}' is configured${namesHint(policy)}`;
    case 'url':
      if (policy.endpointUrls.includes(target.url)) return null;
      return `sandstorm_url must name a configured runtime endpoint; this URL is not one${namesHint(policy)}`;
    case 'invalid':
      return (
        'sandstorm_url must be exactly one ${VAR} (an allowed variable), the name of a configured runtime ' +
        `endpoint or its URL${namesHint(policy)}`
      );
  }
}

function notAllowed(field: string, name: string, policy: EndpointPolicy): string {
  const allowed = policy.envAllowList.length > 0 ? policy.envAllowList.join(', ') : 'none';
  return `${field}: \${${name}} is not an allowed variable (allowed: ${allowed})`;
}

function namesHint(policy: EndpointPolicy): string {
  if (policy.endpointNames.length === 0) return ' (no endpoints are configured: leave sandstorm_url out)';
  return ` (configured: ${policy.endpointNames.join(', ')}; or leave sandstorm_url out for the default)`;
}
