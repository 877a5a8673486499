/**
 * Keys, defaults and bounds of the workflow YAML in one place, so the parser, its tests and
 * docs/workflow-yaml.md agree. Defaults match the original Sandcastle; the bounds are ours
 * (the original had none) and are wide enough for any real workflow while catching typos
 * such as `timeout: 3000000`.
 */
export declare const WORKFLOW_KEYS: readonly ["name", "description", "sandstorm_url", "runtime", "default_model", "default_max_turns", "default_timeout", "simulation", "steps", "on_complete", "on_failure", "schedule"];
export declare const STEP_KEYS: readonly ["id", "prompt", "depends_on", "model", "max_turns", "timeout", "parallel_over", "output_schema", "retry", "fallback", "runtime", "simulation"];
export declare const RETRY_KEYS: readonly ["max_attempts", "backoff", "on_failure", "base_delay_seconds", "max_delay_seconds"];
export declare const FALLBACK_KEYS: readonly ["prompt", "model"];
export declare const ON_COMPLETE_KEYS: readonly ["webhook", "storage_path"];
export declare const ON_FAILURE_KEYS: readonly ["dead_letter", "webhook"];
export declare const SIMULATION_KEYS: readonly ["latency_ms", "cost_usd", "failure_rate"];
/** Step keys people put one level too high; the message says where they belong. */
export declare const MISPLACED_STEP_KEYS: Readonly<Record<string, string>>;
export declare const WORKFLOW_DEFAULTS: {
    readonly model: "sonnet";
    readonly maxTurns: 10;
    readonly timeoutSeconds: 300;
    readonly fallbackModel: "haiku";
    /** Attempts when a step has a `retry` block without `max_attempts`. */
    readonly retryMaxAttempts: 3;
    /** Attempts when a step has no `retry` block at all. */
    readonly attemptsWithoutRetry: 1;
    readonly baseDelaySeconds: 2;
    readonly maxDelaySeconds: 60;
};
export declare const WORKFLOW_LIMITS: {
    readonly nameLength: 200;
    readonly stepIdLength: 100;
    readonly modelLength: 200;
    readonly maxTurns: {
        readonly min: 1;
        readonly max: 500;
    };
    readonly timeoutSeconds: {
        readonly min: 1;
        readonly max: 86400;
    };
    readonly maxAttempts: {
        readonly min: 1;
        readonly max: 20;
    };
    readonly baseDelaySeconds: {
        readonly min: 0;
        readonly max: 3600;
    };
    readonly maxDelaySeconds: {
        readonly min: 0;
        readonly max: 86400;
    };
    readonly latencyMs: {
        readonly min: 0;
        readonly max: 3600000;
    };
    readonly costUsd: {
        readonly min: 0;
        readonly max: 1000;
    };
    readonly failureRate: {
        readonly min: 0;
        readonly max: 1;
    };
};
/** Step ids appear in template paths split on `.`, in message ids split on `:` and in URLs. */
export declare const STEP_ID_PATTERN: RegExp;
/** Agent SDK aliases; full model ids (and other runtimes' names) are accepted as written. */
export declare const MODEL_ALIASES: readonly ["sonnet", "opus", "haiku"];
