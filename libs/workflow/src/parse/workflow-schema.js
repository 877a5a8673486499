"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MODEL_ALIASES = exports.STEP_ID_PATTERN = exports.WORKFLOW_LIMITS = exports.WORKFLOW_DEFAULTS = exports.MISPLACED_STEP_KEYS = exports.SIMULATION_KEYS = exports.ON_FAILURE_KEYS = exports.ON_COMPLETE_KEYS = exports.FALLBACK_KEYS = exports.RETRY_KEYS = exports.STEP_KEYS = exports.WORKFLOW_KEYS = void 0;
/**
 * Keys, defaults and bounds of the workflow YAML in one place, so the parser, its tests and
 * docs/workflow-yaml.md agree. Defaults match the original Sandcastle; the bounds are ours
 * (the original had none) and are wide enough for any real workflow while catching typos
 * such as `timeout: 3000000`.
 */
exports.WORKFLOW_KEYS = [
    'name',
    'description',
    'sandstorm_url',
    'runtime',
    'default_model',
    'default_max_turns',
    'default_timeout',
    'simulation',
    'steps',
    'on_complete',
    'on_failure',
    'schedule',
];
exports.STEP_KEYS = [
    'id',
    'prompt',
    'depends_on',
    'model',
    'max_turns',
    'timeout',
    'parallel_over',
    'output_schema',
    'retry',
    'fallback',
    'runtime',
    'simulation',
];
exports.RETRY_KEYS = [
    'max_attempts',
    'backoff',
    'on_failure',
    'base_delay_seconds',
    'max_delay_seconds',
];
exports.FALLBACK_KEYS = ['prompt', 'model'];
exports.ON_COMPLETE_KEYS = ['webhook', 'storage_path'];
exports.ON_FAILURE_KEYS = ['dead_letter', 'webhook'];
exports.SIMULATION_KEYS = ['latency_ms', 'cost_usd', 'failure_rate'];
/** Step keys people put one level too high; the message says where they belong. */
exports.MISPLACED_STEP_KEYS = {
    max_attempts: 'it belongs inside retry:',
    backoff: 'it belongs inside retry:',
    on_failure: 'it belongs inside retry:',
    base_delay_seconds: 'it belongs inside retry:',
    max_delay_seconds: 'it belongs inside retry:',
    dead_letter: 'it belongs inside the workflow-level on_failure:',
};
exports.WORKFLOW_DEFAULTS = {
    model: 'sonnet',
    maxTurns: 10,
    timeoutSeconds: 300,
    fallbackModel: 'haiku',
    /** Attempts when a step has a `retry` block without `max_attempts`. */
    retryMaxAttempts: 3,
    /** Attempts when a step has no `retry` block at all. */
    attemptsWithoutRetry: 1,
    baseDelaySeconds: 2,
    maxDelaySeconds: 60,
};
exports.WORKFLOW_LIMITS = {
    nameLength: 200,
    stepIdLength: 100,
    modelLength: 200,
    maxTurns: { min: 1, max: 500 },
    timeoutSeconds: { min: 1, max: 86_400 },
    maxAttempts: { min: 1, max: 20 },
    baseDelaySeconds: { min: 0, max: 3_600 },
    maxDelaySeconds: { min: 0, max: 86_400 },
    latencyMs: { min: 0, max: 3_600_000 },
    costUsd: { min: 0, max: 1_000 },
    failureRate: { min: 0, max: 1 },
};
/** Step ids appear in template paths split on `.`, in message ids split on `:` and in URLs. */
exports.STEP_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Agent SDK aliases; full model ids (and other runtimes' names) are accepted as written. */
exports.MODEL_ALIASES = ['sonnet', 'opus', 'haiku'];
//# sourceMappingURL=workflow-schema.js.map