/**
 * Keys, defaults and bounds of the workflow YAML in one place, so the parser, its tests and
 * docs/workflow-yaml.md agree. Defaults match the original Sandcastle; the bounds are ours
 * (the original had none) and are wide enough for any real workflow while catching typos
 * such as `timeout: 3000000`.
 */
export const WORKFLOW_KEYS = [
  'name',
  'description',
  'sandstorm_url',
  'runtime',
  'default_model',
  'models',
  'default_max_turns',
  'default_timeout',
  'simulation',
  'steps',
  'on_complete',
  'on_failure',
  'schedule',
  'notify',
] as const;

export const STEP_KEYS = [
  'id',
  'prompt',
  'depends_on',
  'model',
  'models',
  'max_turns',
  'timeout',
  'parallel_over',
  'max_concurrency',
  'output_schema',
  'retry',
  'fallback',
  'runtime',
  'simulation',
  'type',
  'message',
  'show',
  'on_timeout',
  'allow_edit',
  'storage_write',
  'storage_default',
] as const;

/** Step types: an agent/model call (default), or a person's decision (docs/runtimes.md). */
export const STEP_TYPES = ['agent', 'approval'] as const;
/** Keys only an approval step takes. */
export const APPROVAL_ONLY_KEYS = ['message', 'show', 'on_timeout', 'allow_edit'] as const;
/** Keys an approval step takes. */
export const APPROVAL_STEP_KEYS = ['id', 'type', 'depends_on', 'timeout', ...APPROVAL_ONLY_KEYS] as const;
export const APPROVAL_TIMEOUT_ACTIONS = ['reject', 'approve', 'skip'] as const;
/** Longest an approval may wait when it has a timeout: 30 days. */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 30 * 24 * 3600;

export const RETRY_KEYS = [
  'max_attempts',
  'backoff',
  'on_failure',
  'base_delay_seconds',
  'max_delay_seconds',
] as const;
export const FALLBACK_KEYS = ['prompt', 'model'] as const;
export const ON_COMPLETE_KEYS = ['webhook', 'storage_path'] as const;
export const ON_FAILURE_KEYS = ['dead_letter', 'webhook'] as const;
export const NOTIFY_KEYS = ['slack'] as const;
export const SIMULATION_KEYS = ['latency_ms', 'cost_usd', 'failure_rate'] as const;

/** Step keys people put one level too high; the message says where they belong. */
export const MISPLACED_STEP_KEYS: Readonly<Record<string, string>> = {
  max_attempts: 'it belongs inside retry:',
  backoff: 'it belongs inside retry:',
  on_failure: 'it belongs inside retry:',
  base_delay_seconds: 'it belongs inside retry:',
  max_delay_seconds: 'it belongs inside retry:',
  dead_letter: 'it belongs inside the workflow-level on_failure:',
};

export const WORKFLOW_DEFAULTS = {
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
  /** Fan-out items in flight at once when a `parallel_over` step says nothing. */
  maxConcurrency: 10,
} as const;

export const WORKFLOW_LIMITS = {
  nameLength: 200,
  stepIdLength: 100,
  modelLength: 200,
  maxTurns: { min: 1, max: 500 },
  timeoutSeconds: { min: 1, max: 86_400 },
  maxAttempts: { min: 1, max: 20 },
  baseDelaySeconds: { min: 0, max: 3_600 },
  maxDelaySeconds: { min: 0, max: 86_400 },
  /** The engine also applies the operator's cap (MAX_FAN_OUT_CONCURRENCY) at run time. */
  maxConcurrency: { min: 1, max: 10_000 },
  latencyMs: { min: 0, max: 3_600_000 },
  costUsd: { min: 0, max: 1_000 },
  failureRate: { min: 0, max: 1 },
} as const;

/** Step ids appear in template paths split on `.`, in message ids split on `:` and in URLs. */
export const STEP_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Agent SDK aliases; full model ids (and other runtimes' names) are accepted as written. */
export const MODEL_ALIASES = ['sonnet', 'opus', 'haiku'] as const;
