import { addUsd } from '@sandcastle/contracts';
import type { CheckpointRow, CheckpointStateRow } from './checkpoints.repository';
import type { CheckpointStateView, CheckpointView } from './checkpoint.views';

/**
 * A fan-out step's own row (the same test as the engine's): its cost is the sum of its items',
 * which are checkpointed on their own, so totals must not count it again.
 */
export function isFanOutAggregate(row: Pick<CheckpointRow, 'itemIndex' | 'itemCount'>): boolean {
  return row.itemIndex === null && row.itemCount !== null;
}

/** `id` for a step's own row, `id[i]` for a fan-out item. */
function costKeyOf(row: CheckpointRow): string {
  return row.itemIndex === null ? row.stepId : `${row.stepId}[${row.itemIndex}]`;
}

/**
 * The list of a run's checkpoints, from its rows in checkpoint order. `restored_from` names the
 * parent run (the column holds the parent's row id), as in `GET /runs/{id}`.
 */
export function toCheckpointViews(
  rows: readonly CheckpointRow[],
  parentRunId: string | null,
): CheckpointView[] {
  let total = 0;
  return rows.map((row) => {
    if (!isFanOutAggregate(row)) total = addUsd(total, row.costUsd);
    return {
      seq: row.seq,
      step_id: row.stepId,
      parallel_index: row.itemIndex,
      status: row.status,
      cost_usd: row.costUsd,
      total_cost_usd: total,
      completed_at: row.completedAt ? row.completedAt.toISOString() : null,
      restored_from: row.restoredFrom !== null ? parentRunId : null,
    };
  });
}

/**
 * The state after completion `seq`, from every row with checkpoint_seq <= seq (in order). A
 * plain step or a completed fan-out step contributes its output (null when it was skipped or
 * dead-lettered, as the engine hands it on); a fan-out step still missing items has no output
 * yet, but its finished items show in `costs`. Null when no row has that seq.
 */
export function toCheckpointStateView(
  runId: string,
  seq: number,
  rows: readonly CheckpointStateRow[],
): CheckpointStateView | null {
  const at = rows.find((row) => row.seq === seq);
  if (!at) return null;
  const outputs: Record<string, unknown> = {};
  const costs: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    if (row.seq > seq) continue;
    if (row.itemIndex === null) outputs[row.stepId] = row.output;
    if (isFanOutAggregate(row)) continue;
    costs[costKeyOf(row)] = row.costUsd;
    total = addUsd(total, row.costUsd);
  }
  return {
    run_id: runId,
    seq,
    step_id: at.stepId,
    parallel_index: at.itemIndex,
    outputs,
    costs,
    total_cost_usd: total,
  };
}
