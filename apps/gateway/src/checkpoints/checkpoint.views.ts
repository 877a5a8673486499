import type { StepStatus } from '@sandcastle/contracts';

/**
 * Answers of the checkpoint routes (docs/api.md, "Checkpoints"). They belong with the other API
 * views in libs/contracts once the dashboard needs them.
 */

/** `GET /runs/{id}/checkpoints`: one completion of the run, in checkpoint order. */
export interface CheckpointView {
  seq: number;
  step_id: string;
  /** The fan-out item's index; null for a step's own row (a plain step or a fan-out aggregate). */
  parallel_index: number | null;
  status: StepStatus;
  cost_usd: number;
  /** What the run had spent on checkpointed rows up to and including this one. */
  total_cost_usd: number;
  completed_at: string | null;
  /** The parent run's id when a replay or fork copied this row; null otherwise. */
  restored_from: string | null;
}

/** `GET /runs/{id}/checkpoints/{seq}`: the run's state right after completion `seq`. */
export interface CheckpointStateView {
  run_id: string;
  seq: number;
  step_id: string;
  parallel_index: number | null;
  /** Per step whose result was known then: plain steps and fan-out steps with all items in. */
  outputs: Record<string, unknown>;
  /** Per plain step (`id`) and fan-out item (`id[i]`) finished by then. */
  costs: Record<string, number>;
  total_cost_usd: number;
}
