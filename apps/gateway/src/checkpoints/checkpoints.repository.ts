import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StepStatus } from '@sandcastle/contracts';
import { itemIndexFromDb, STORED_STEP_ITEM_INDEX } from '@sandcastle/persistence';

/** One run_steps row that has a place in its run's checkpoint order. */
export interface CheckpointRow {
  seq: number;
  stepId: string;
  /** The fan-out item; null for the step's own row. */
  itemIndex: number | null;
  /** Set on a fan-out step's own row (its aggregate); null on plain steps and items. */
  itemCount: number | null;
  status: StepStatus;
  costUsd: number;
  completedAt: Date | null;
  restoredFrom: string | null;
}

/** A checkpoint row with its output (only read for the rows whose output a checkpoint shows). */
export interface CheckpointStateRow extends CheckpointRow {
  output: unknown;
}

interface RawCheckpointRow {
  checkpoint_seq: number;
  step_id: string;
  item_index: number;
  item_count: number | null;
  status: StepStatus;
  cost_usd: number | string;
  completed_at: Date | null;
  restored_from: string | null;
  output?: unknown;
}

const COLUMNS = `checkpoint_seq, step_id, item_index, item_count, status, cost_usd, completed_at, restored_from`;

function toRow(raw: RawCheckpointRow): CheckpointRow {
  return {
    seq: raw.checkpoint_seq,
    stepId: raw.step_id,
    itemIndex: itemIndexFromDb(raw.item_index),
    itemCount: raw.item_count,
    status: raw.status,
    costUsd: Number(raw.cost_usd),
    completedAt: raw.completed_at,
    restoredFrom: raw.restored_from,
  };
}

/**
 * The checkpointed rows of a run. Callers have already found the run in the caller's scope and
 * pass its own tenant, so the tenant condition here is a second fence, not the access check.
 */
@Injectable()
export class CheckpointsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Every checkpointed row, in checkpoint order; outputs are not read (they can be large). */
  async list(tenantId: string, runId: string): Promise<CheckpointRow[]> {
    const rows: RawCheckpointRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM run_steps
        WHERE run_id = $1 AND tenant_id = $2 AND checkpoint_seq IS NOT NULL
        ORDER BY checkpoint_seq`,
      [runId, tenantId],
    );
    return rows.map(toRow);
  }

  /**
   * The rows with checkpoint_seq <= `seq`, in checkpoint order. Item outputs are left out: the
   * fan-out step's aggregate row holds them all, and a checkpoint only shows step outputs.
   */
  async upTo(tenantId: string, runId: string, seq: number): Promise<CheckpointStateRow[]> {
    const rows: RawCheckpointRow[] = await this.db.query(
      `SELECT ${COLUMNS}, CASE WHEN item_index = ${STORED_STEP_ITEM_INDEX} THEN output END AS output FROM run_steps
        WHERE run_id = $1 AND tenant_id = $2 AND checkpoint_seq <= $3
        ORDER BY checkpoint_seq`,
      [runId, tenantId, seq],
    );
    return rows.map((raw) => ({ ...toRow(raw), output: raw.output ?? null }));
  }
}
