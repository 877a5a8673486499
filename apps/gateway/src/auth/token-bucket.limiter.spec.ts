import { TokenBucketLimiter } from './token-bucket.limiter';

describe('TokenBucketLimiter', () => {
  const T0 = 1_000_000;

  it('allows a burst of one minute of requests, then refuses with the wait in seconds', () => {
    const limiter = new TokenBucketLimiter(60);
    for (let i = 0; i < 60; i++) expect(limiter.take('a', T0)).toEqual({ allowed: true });
    expect(limiter.take('a', T0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate', () => {
    const limiter = new TokenBucketLimiter(6); // one token every 10 s
    for (let i = 0; i < 6; i++) limiter.take('a', T0);
    expect(limiter.take('a', T0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('a', T0 + 4_000)).toEqual({ allowed: false, retryAfterSeconds: 6 });
    expect(limiter.take('a', T0 + 10_000)).toEqual({ allowed: true });
    expect(limiter.take('a', T0 + 10_000)).toMatchObject({ allowed: false });
  });

  it('never holds more than a minute of tokens', () => {
    const limiter = new TokenBucketLimiter(3);
    limiter.take('a', T0);
    const later = T0 + 3_600_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('a', later)).toEqual({ allowed: true });
    expect(limiter.take('a', later)).toMatchObject({ allowed: false });
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketLimiter(1);
    expect(limiter.take('a', T0)).toEqual({ allowed: true });
    expect(limiter.take('a', T0)).toMatchObject({ allowed: false });
    expect(limiter.take('b', T0)).toEqual({ allowed: true });
  });

  it('refuses a rate of 0 (0 means "no limiter")', () => {
    expect(() => new TokenBucketLimiter(0)).toThrow();
  });
});
