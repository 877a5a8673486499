import type { RuntimeKind } from '@sandcastle/contracts';

/**
 * A parsed, validated workflow. Past the parser nothing handles raw YAML: the engine, the
 * snapshot stored on every run and the dispatch builder all work on this value. It is plain
 * JSON (no classes, no functions) so it can be stored in a jsonb column and read back as is.
 */
export interface WorkflowDefinition {
  /** The YAML's `name`: a title for people. The identifier is the saved name (see docs). */
  title: string;
  description: string;
  /** As written, may contain `${VAR}`; resolved by whoever connects (the executor). */
  sandstormUrl: string | null;
  /** Workflow-wide runtime; null = the executor's default (SANDSTORM_URL set → sandstorm). */
  runtime: RuntimeKind | null;
  defaultModel: string;
  /** Workflow-wide fallback chain for model API runtimes (empty when not set). */
  models?: string[];
  defaultMaxTurns: number;
  defaultTimeout: number;
  simulation: SimulationDefinition | null;
  steps: StepDefinition[];
  onComplete: { webhook: string | null; storagePath: string | null } | null;
  onFailure: { deadLetter: boolean; webhook: string | null } | null;
  /** Parsed and kept; schedules are made through the API (`POST /schedules`), not from the YAML. */
  schedule: string | null;
  /** `notify: {slack}`: a Slack incoming-webhook URL the notifier posts the run's end to. */
  notify?: { slack: string | null } | null;
}

export type BackoffKind = 'exponential' | 'fixed';
export type OnFailure = 'abort' | 'skip' | 'fallback';

export interface RetryDefinition {
  maxAttempts: number;
  backoff: BackoffKind;
  onFailure: OnFailure;
  /** Delay after the first failed attempt (exponential doubles it each time). */
  baseDelaySeconds: number;
  /** Cap for exponential backoff. */
  maxDelaySeconds: number;
}

export interface SimulationDefinition {
  latencyMs?: number;
  costUsd?: number;
  failureRate?: number;
}

export interface StepDefinition {
  id: string;
  prompt: string;
  dependsOn: string[];
  /** Resolved: step `model` → workflow `default_model` → `sonnet`; the first of `models` when set. */
  model: string;
  /**
   * Model API runtimes: the fallback chain in order (step `models` → step `model` alone → workflow
   * `models`). Empty = just `model`. Absent in snapshots stored before chains existed.
   */
  models?: string[];
  maxTurns: number;
  /** Seconds. */
  timeout: number;
  /** Path without braces, e.g. `input.companies` or `steps.fetch.output.items`. */
  parallelOver: string | null;
  /**
   * Fan-out items queued or running at once (only on a `parallel_over` step; the parser sets the
   * default). Absent in snapshots stored before it existed: the engine then uses the default.
   */
  maxConcurrency?: number;
  outputSchema: Record<string, unknown> | null;
  retry: RetryDefinition;
  fallback: { prompt: string; model: string } | null;
  runtime: RuntimeKind | null;
  simulation: SimulationDefinition | null;
  /**
   * Set on `type: approval` steps: the run waits for a person's decision here instead of running
   * an agent (`prompt` then holds the message template). Absent on agent steps.
   */
  approval?: ApprovalDefinition;
  /** `storage_write`: templated path where the step's output is stored (tenant storage). Absent = none. */
  storageWrite?: string;
  /** `storage_default`: text used for a `{storage.PATH}` of this step whose object does not exist. */
  storageDefault?: string;
}

export type ApprovalTimeoutAction = 'reject' | 'approve' | 'skip';

export interface ApprovalDefinition {
  /** A path (`steps.draft.output`, `input.amount`) whose value is shown; null = the dependencies' outputs. */
  show: string | null;
  /** Seconds to wait before `onTimeout` decides; null waits until someone decides (or the run is cancelled). */
  timeoutSeconds: number | null;
  onTimeout: ApprovalTimeoutAction;
  /** The approver may replace the shown data (`edited_output`), which becomes the step's output. */
  allowEdit: boolean;
}
