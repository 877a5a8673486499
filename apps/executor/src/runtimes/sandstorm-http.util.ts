/** Small helpers for talking HTTP to Sandstorm: request body, error wording, health probe. */
import { isErrorLike, type AttemptRequest } from './agent-runtime';

export const MIN_SANDBOX_TIMEOUT_S = 5;
export const MAX_SANDBOX_TIMEOUT_S = 3600;
const HEALTH_TIMEOUT_MS = 2000;

export interface SandstormCredentials {
  anthropicApiKey?: string;
  e2bApiKey?: string;
}

/** `POST /query` body (spec/sandstorm-api.md A.3). Keys are sent only when configured here. */
export function buildQueryBody(req: AttemptRequest, creds: SandstormCredentials): Record<string, unknown> {
  const timeout = Math.min(
    MAX_SANDBOX_TIMEOUT_S,
    Math.max(MIN_SANDBOX_TIMEOUT_S, Math.round(Number.isFinite(req.timeoutSeconds) ? req.timeoutSeconds : 0)),
  );
  const body: Record<string, unknown> = {
    prompt: req.prompt,
    model: req.model,
    max_turns: req.maxTurns,
    timeout,
  };
  if (req.outputSchema) body['output_format'] = { type: 'json_schema', schema: req.outputSchema };
  if (creds.anthropicApiKey) body['anthropic_api_key'] = creds.anthropicApiKey;
  if (creds.e2bApiKey) body['e2b_api_key'] = creds.e2bApiKey;
  return body;
}

export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

function errorCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects fail with an AggregateError whose members carry the code.
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const inner of errors) if (errorCode(inner)) return errorCode(inner);
  return null;
}

/**
 * Words for why fetch() could not get a response (undici puts the socket error in `cause`). Only
 * the error code is used: messages quote host names and addresses.
 */
export function describeConnectError(err: unknown): string {
  const cause = isErrorLike(err) && err.cause !== undefined ? err.cause : err;
  const code = errorCode(cause);
  switch (code ?? '') {
    case 'ECONNREFUSED':
      return 'connection refused (is Sandstorm running there?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset by the server';
    default:
      return code !== null && /^[A-Z0-9_]{1,40}$/.test(code)
        ? `connection failed (${code})`
        : 'connection failed';
  }
}

/** True when `GET {baseUrl}/health` answers 2xx within 2 s. Never throws: unreachable is `false`. */
export async function checkHealth(baseUrl: string, timeoutMs = HEALTH_TIMEOUT_MS): Promise<boolean> {
  try {
    const res = await fetch(`${trimBaseUrl(baseUrl)}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
