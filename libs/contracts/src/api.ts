import type { RunKind, RunStatus, RuntimeKind, StepStatus } from './statuses';

/** `GET /workflows` item. */
export interface WorkflowSummaryView {
  name: string;
  title: string;
  description: string;
  version: number;
  steps_count: number;
  steps: { id: string; depends_on: string[]; model: string; parallel_over?: string }[];
  updated_at: string;
}

/** `GET /workflows/{name}`: the summary plus the YAML text. */
export interface WorkflowView extends WorkflowSummaryView {
  content: string;
}

/**
 * `POST /workflows`: the saved version, and settings that are valid but have no effect (e.g.
 * `max_turns` on a model API runtime), each with its field. Empty when there are none.
 */
export interface SavedWorkflowView extends WorkflowView {
  warnings: { field: string; message: string }[];
}

/** One model tried in one attempt of a step (`tries` of a step view). */
export interface ModelTryView {
  attempt: number;
  model: string;
  runtime: RuntimeKind;
  outcome: 'completed' | 'failed';
  error: string | null;
  cost_usd: number;
}

/** One row of `GET /runs/{id}`: a step, or one fan-out item of a step. */
export interface StepView {
  step_id: string;
  parallel_index: number | null;
  status: StepStatus;
  attempt: number;
  output: unknown;
  error: string | null;
  /** Stable kind of the failure (`timeout`, `OUTPUT_TOO_LARGE`, `FAN_OUT_TOO_LARGE`, …); null when none. */
  error_kind: string | null;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  num_turns: number;
  duration_seconds: number | null;
  model: string | null;
  runtime: RuntimeKind | null;
  /**
   * Model API runtimes with a fallback chain: every model tried, over all attempts, with its
   * cost (`cost_usd` is their sum). Absent for other runtimes.
   */
  tries?: ModelTryView[];
  started_at: string | null;
  completed_at: string | null;
  restored_from: string | null;
  /** Set when the output was too large to keep inline: `output` is then null (docs/storage.md). */
  output_ref: OutputRefView | null;
}

/** An offloaded output as the API shows it: a preview, the size, and where to download it. */
export interface OutputRefView {
  /** The artifact's name: `GET /runs/{id}/artifacts/{name}` streams it. */
  name: string;
  size: number;
  content_type: string;
  /** The first 1 KiB of the stored JSON text. */
  preview: string;
  /** `/runs/{id}/artifacts/{name}` (relative to the API's base URL). */
  url: string;
}

/** `GET /runs/{id}/artifacts` item: one object the run wrote to storage. */
export interface ArtifactView {
  name: string;
  /** `output` (offloaded step output), `file` (a runtime's file), `write` (storage_write), `result` (on_complete). */
  kind: string;
  /** Where the tenant finds it: its own path for `write` and `result` (readable with {storage.PATH}), `runs/<id>/<name>` otherwise. */
  path: string;
  size: number;
  content_type: string;
  step_id: string | null;
  parallel_index: number | null;
  created_at: string;
  url: string;
}

/** `GET /runs` item. */
export interface RunSummaryView {
  run_id: string;
  workflow_name: string;
  status: RunStatus;
  total_cost_usd: number;
  max_cost_usd: number | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  parent_run_id: string | null;
  /** The schedule that started the run, or null. */
  schedule_id: string | null;
}

/** `GET /runs/{id}`. */
export interface RunView extends RunSummaryView {
  workflow_version: number | null;
  kind: RunKind;
  input_data: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error: string | null;
  total_input_tokens: number;
  total_output_tokens: number;
  duration_seconds: number | null;
  root_run_id: string | null;
  replay_from_step: string | null;
  fork_changes: Record<string, unknown> | null;
  /** For a scheduled run: the due time it fired for. */
  scheduled_for: string | null;
  /** For a scheduled run: fired late for a due time the scheduler missed (it was down). */
  catch_up: boolean;
  /** Where `on_complete.storage_path` stored the outputs (the tenant's path), or null. */
  storage_path: string | null;
  /** Offloaded outputs by step id (their value in `outputs` is null); empty when none. */
  output_refs: Record<string, OutputRefView>;
  steps: StepView[];
}

/** `POST /workflows/run` answer. */
export interface RunAcceptedView {
  run_id: string;
  status: RunStatus;
  idempotent?: boolean;
}
