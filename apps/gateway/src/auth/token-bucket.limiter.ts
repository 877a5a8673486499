/** The answer to "may this caller make one more request now?". */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Past this many buckets, full ones (idle callers) are dropped: a full bucket is the same as none. */
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket per caller key, in memory: `perMinute` requests a minute on average, with
 * bursts of up to `perMinute`. Each gateway replica keeps its own buckets, so the limit a
 * tenant sees is per replica (docs/security.md).
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly perMinute: number) {
    if (!(perMinute > 0)) throw new Error('TokenBucketLimiter needs a positive rate');
    this.perMs = perMinute / 60_000;
  }

  take(key: string, now: number = Date.now()): RateDecision {
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const waitMs = (1 - bucket.tokens) / this.perMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** True when `key` could not take a request now; takes nothing. */
  isExhausted(key: string, now: number = Date.now()): boolean {
    if (!this.buckets.has(key)) return false;
    return this.refilled(key, now).tokens < 1;
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.pruneFull(now);
      bucket = { tokens: this.perMinute, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + elapsed * this.perMs);
    bucket.updatedAt = now;
    return bucket;
  }

  private pruneFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}
