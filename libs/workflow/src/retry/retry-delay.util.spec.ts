import type { RetryDefinition } from '../definition';
import { retryDelayMs } from './retry-delay.util';

const retry = (overrides: Partial<RetryDefinition> = {}): RetryDefinition => ({
  maxAttempts: 10,
  backoff: 'exponential',
  onFailure: 'abort',
  baseDelaySeconds: 2,
  maxDelaySeconds: 60,
  ...overrides,
});

describe('retryDelayMs', () => {
  it('matches the original min(2**n, 60) seconds with the defaults', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(retry(), n))).toEqual([
      2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
  });

  it('doubles a custom base up to a custom cap', () => {
    expect(
      [1, 2, 3, 4].map((n) => retryDelayMs(retry({ baseDelaySeconds: 0.5, maxDelaySeconds: 3 }), n)),
    ).toEqual([500, 1000, 2000, 3000]);
  });

  it('waits the base delay every time with fixed backoff', () => {
    expect([1, 2, 5].map((n) => retryDelayMs(retry({ backoff: 'fixed', baseDelaySeconds: 5 }), n))).toEqual([
      5000, 5000, 5000,
    ]);
  });

  it('supports no delay at all', () => {
    expect(retryDelayMs(retry({ baseDelaySeconds: 0, maxDelaySeconds: 0 }), 3)).toBe(0);
  });

  it('stays at the cap for very large attempt numbers', () => {
    expect(retryDelayMs(retry(), 5000)).toBe(60000);
  });

  it('treats attempt numbers below 1 as the first attempt', () => {
    expect(retryDelayMs(retry(), 0)).toBe(2000);
  });
});
