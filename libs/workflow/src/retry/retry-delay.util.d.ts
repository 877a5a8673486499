import type { RetryDefinition } from '../definition';
/**
 * How long to wait after failed attempt `failedAttempt` (1-based) before the next one.
 * Exponential: base × 2^(n-1), capped at the maximum — with the defaults (2 s, 60 s) that is
 * 2, 4, 8, 16, 32, 60, 60… exactly the original's `min(2**n, 60)`. Fixed: the base every time.
 */
export declare function retryDelayMs(retry: RetryDefinition, failedAttempt: number): number;
