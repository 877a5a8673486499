"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseRetry = parseRetry;
const workflow_schema_1 = require("./workflow-schema");
const BACKOFF_KINDS = ['exponential', 'fixed'];
const ON_FAILURE_VALUES = ['abort', 'skip', 'fallback'];
/** A step's `retry` block. No block means one attempt and abort, as in the original. */
function parseRetry(step) {
    const base = {
        backoff: 'exponential',
        onFailure: 'abort',
        baseDelaySeconds: workflow_schema_1.WORKFLOW_DEFAULTS.baseDelaySeconds,
        maxDelaySeconds: workflow_schema_1.WORKFLOW_DEFAULTS.maxDelaySeconds,
    };
    const raw = step.mapping('retry');
    if (raw === undefined)
        return { ...base, maxAttempts: workflow_schema_1.WORKFLOW_DEFAULTS.attemptsWithoutRetry };
    const reader = step.nested('retry', raw);
    reader.checkKeys(workflow_schema_1.RETRY_KEYS);
    const limits = workflow_schema_1.WORKFLOW_LIMITS;
    const retry = {
        maxAttempts: reader.integer('max_attempts', limits.maxAttempts.min, limits.maxAttempts.max) ??
            workflow_schema_1.WORKFLOW_DEFAULTS.retryMaxAttempts,
        backoff: reader.oneOf('backoff', BACKOFF_KINDS) ?? base.backoff,
        onFailure: reader.oneOf('on_failure', ON_FAILURE_VALUES) ?? base.onFailure,
        baseDelaySeconds: reader.number('base_delay_seconds', limits.baseDelaySeconds.min, limits.baseDelaySeconds.max) ??
            base.baseDelaySeconds,
        maxDelaySeconds: reader.number('max_delay_seconds', limits.maxDelaySeconds.min, limits.maxDelaySeconds.max) ??
            base.maxDelaySeconds,
    };
    if (retry.maxDelaySeconds < retry.baseDelaySeconds) {
        reader.report(reader.has('max_delay_seconds') ? 'max_delay_seconds' : 'base_delay_seconds', `retry.max_delay_seconds (${retry.maxDelaySeconds}) must not be less than retry.base_delay_seconds (${retry.baseDelaySeconds})`);
    }
    return retry;
}
//# sourceMappingURL=retry.parser.js.map