"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.retryDelayMs = retryDelayMs;
/**
 * How long to wait after failed attempt `failedAttempt` (1-based) before the next one.
 * Exponential: base × 2^(n-1), capped at the maximum — with the defaults (2 s, 60 s) that is
 * 2, 4, 8, 16, 32, 60, 60… exactly the original's `min(2**n, 60)`. Fixed: the base every time.
 */
function retryDelayMs(retry, failedAttempt) {
    const attempt = Math.max(1, Math.floor(failedAttempt));
    const seconds = retry.backoff === 'fixed'
        ? retry.baseDelaySeconds
        : Math.min(retry.baseDelaySeconds * 2 ** (attempt - 1), retry.maxDelaySeconds);
    return Math.round(seconds * 1000);
}
//# sourceMappingURL=retry-delay.util.js.map