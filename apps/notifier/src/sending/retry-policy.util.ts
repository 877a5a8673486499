export interface RetrySettings {
  baseDelayMs: number;
  maxDelayMs: number;
  retryAfterMaxMs: number;
}

/**
 * Delay before the attempt after `attempt` (1-based) failed: exponential from the base, capped,
 * with "equal jitter" (half fixed, half random) so that many deliveries failing together (a
 * receiver down) do not come back in lockstep. `random` is injectable for tests.
 */
export function backoffDelayMs(
  attempt: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * A `Retry-After` header in milliseconds (delta-seconds or an HTTP date), capped at
 * `retryAfterMaxMs`; null when absent or unreadable.
 */
export function retryAfterMs(
  header: string | string[] | undefined,
  settings: RetrySettings,
  now: Date,
): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const date = Date.parse(text);
    if (Number.isNaN(date)) return null;
    ms = date - now.getTime();
  }
  return Math.min(Math.max(0, ms), settings.retryAfterMaxMs);
}

/** When to try again, or null to give up (the retry window is over). */
export function nextAttemptAt(input: {
  attempt: number;
  now: Date;
  giveUpAt: Date;
  retryAfter: number | null;
  settings: RetrySettings;
  random?: () => number;
}): Date | null {
  const delay = input.retryAfter ?? backoffDelayMs(input.attempt, input.settings, input.random);
  const at = new Date(input.now.getTime() + delay);
  return at.getTime() > input.giveUpAt.getTime() ? null : at;
}
