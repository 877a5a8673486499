import { backoffDelayMs, nextAttemptAt, retryAfterMs } from './retry-policy.util';

const settings = { baseDelayMs: 1000, maxDelayMs: 60_000, retryAfterMaxMs: 120_000 };
const now = new Date('2026-01-01T00:00:00Z');

describe('retry policy', () => {
  it('doubles from the base, capped, with half of each delay random', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, settings, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, settings, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelayMs(30, settings, () => 1)).toBe(60_000);
  });

  it('reads Retry-After as seconds or as a date, capped', () => {
    expect(retryAfterMs('3', settings, now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', settings, now)).toBe(10_000);
    expect(retryAfterMs('99999', settings, now)).toBe(120_000);
    expect(retryAfterMs('soon', settings, now)).toBeNull();
    expect(retryAfterMs(undefined, settings, now)).toBeNull();
  });

  it('honours Retry-After over the backoff, and gives up past the window', () => {
    const giveUpAt = new Date(now.getTime() + 5000);
    expect(nextAttemptAt({ attempt: 1, now, giveUpAt, retryAfter: 3000, settings })).toEqual(
      new Date(now.getTime() + 3000),
    );
    expect(nextAttemptAt({ attempt: 1, now, giveUpAt, retryAfter: 6000, settings })).toBeNull();
    expect(nextAttemptAt({ attempt: 1, now, giveUpAt, retryAfter: null, settings, random: () => 0 })).toEqual(
      new Date(now.getTime() + 500),
    );
  });
});
