import type { TokenUsage } from '@sandcastle/contracts';
import { AttemptFailedError } from '../agent-runtime';

/**
 * A model API call failed. `retryable` is the provider saying "not now" (429, 529, overloaded,
 * 5xx, a timeout or a broken connection) before any output arrived: the same call may succeed
 * later or on another model. Once output has streamed, a failure is never retryable within the
 * attempt (a chain never switches models in the middle of an answer).
 */
export class ProviderCallError extends AttemptFailedError {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** From `retry-after` (or `retry-after-ms`); null when the provider sent none. */
    readonly retryAfterMs: number | null = null,
    /** 429/529/overloaded: the model should cool down for every executor, not just this call. */
    readonly overloaded = false,
    costUsd = 0,
    usage?: TokenUsage,
    model: string | null = null,
  ) {
    super(message, costUsd, usage, 0, model);
    this.name = 'ProviderCallError';
  }
}

/** Longest `retry-after` honoured: a provider asking for an hour is treated as "not today". */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * `retry-after-ms: 1500`, `retry-after: 2` (seconds) or `retry-after: <HTTP date>` → ms, capped
 * at MAX_RETRY_AFTER_MS; null when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms))
    return Math.min(MAX_RETRY_AFTER_MS, Math.ceil(Number(ms)));
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.min(MAX_RETRY_AFTER_MS, Math.ceil(Number(value) * 1000));
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

/** Statuses worth another try (later, or on another model). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Statuses that mean "this model is overloaded or rate limited": it cools down. */
export function isOverloadStatus(status: number): boolean {
  return status === 429 || status === 529 || status === 503;
}

/**
 * A provider's machine-readable error type (`overloaded_error`, `rate_limit_exceeded`) from an
 * error body, or null. Only a short token is kept: the message text is upstream prose that may
 * quote the prompt, and it ends up in the run, its events and the logs.
 */
export function providerErrorType(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  const candidates: unknown[] = [];
  if (typeof error === 'object' && error !== null) {
    candidates.push((error as { type?: unknown }).type, (error as { code?: unknown }).code);
  }
  candidates.push((body as { type?: unknown }).type);
  for (const c of candidates) {
    if (typeof c === 'string' && /^[A-Za-z0-9_.-]{1,60}$/.test(c) && c !== 'error') return c;
  }
  return null;
}
