/** Lifecycle of a run. Terminal states never change again. */
export const RUN_STATUSES = [
  'queued',
  'running',
  /** Paused at a `type: approval` step: nothing runs until a person (or its timeout) decides. */
  'waiting',
  'completed',
  'failed',
  'cancelled',
  'budget_exceeded',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  'completed',
  'failed',
  'cancelled',
  'budget_exceeded',
];

/** Lifecycle of one step (or one fan-out item of a step). */
export const STEP_STATUSES = [
  'pending',
  'queued',
  'running',
  /** An approval step waiting for its decision (holds no executor slot). */
  'waiting',
  'completed',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ['completed', 'failed', 'skipped', 'cancelled'];

/**
 * Agent runtimes an executor can run a step on: a sandboxed agent (`sandstorm`), labelled fake
 * output (`simulated`), or one model call on a provider's API (`anthropic`, `openai`-compatible).
 */
export const RUNTIME_KINDS = ['sandstorm', 'simulated', 'anthropic', 'openai'] as const;
/** Runtimes that call a model API directly: their models come from the operator's model registry. */
export const MODEL_API_RUNTIMES = ['anthropic', 'openai'] as const;
export type ModelApiRuntime = (typeof MODEL_API_RUNTIMES)[number];

export function isModelApiRuntime(kind: string | null | undefined): kind is ModelApiRuntime {
  return kind === 'anthropic' || kind === 'openai';
}
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

/** How a run came to be: started directly, or made by the Time Machine from another run. */
export const RUN_KINDS = ['original', 'replay', 'fork'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

export function isTerminalStepStatus(status: StepStatus): boolean {
  return TERMINAL_STEP_STATUSES.includes(status);
}

/** Runs that are not over: queued, running, or waiting for an approval. */
export const LIVE_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting'];

/** What an approver (or an approval's timeout) decides. */
export const APPROVAL_DECISIONS = ['approve', 'reject', 'skip'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** An approval's state: pending until decided once; `cancelled` when its run ended first. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'skipped', 'cancelled'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
