import type { EntityManager } from 'typeorm';
import type { OverlapPolicy } from '@sandcastle/persistence';

/** A due schedule as locked for firing. */
export interface LockedSchedule {
  id: string;
  tenantId: string;
  workflowName: string;
  cronExpression: string;
  timezone: string;
  inputData: Record<string, unknown>;
  maxCostUsd: number | null;
  keyMaxCostUsd: number | null;
  overlap: OverlapPolicy;
  nextRunAt: Date;
  lastRunId: string | null;
}

interface LockedRow {
  id: string;
  tenant_id: string;
  workflow_name: string;
  cron_expression: string;
  timezone: string;
  input_data: Record<string, unknown>;
  max_cost_usd: number | null;
  key_max_cost_usd: number | null;
  overlap: OverlapPolicy;
  next_run_at: Date;
  last_run_id: string | null;
}

/**
 * The scheduler's SQL. Every statement runs inside the caller's transaction, which holds the
 * schedule's row lock from `lockNextDue` to commit: that lock (with SKIP LOCKED, so replicas
 * share the work instead of queueing) is what makes a due time fire once.
 */
export class ScheduleFiringRepository {
  /**
   * Locks the enabled schedule due the longest, skipping rows another replica holds and the
   * ones this tick already failed on. The WHERE is re-checked on the row as locked, so a
   * schedule another replica just fired (its next_run_at moved on) is not returned.
   */
  async lockNextDue(
    manager: EntityManager,
    now: Date,
    skipIds: readonly string[],
  ): Promise<LockedSchedule | null> {
    const rows: LockedRow[] = await manager.query(
      `SELECT id, tenant_id, workflow_name, cron_expression, timezone, input_data, max_cost_usd,
              key_max_cost_usd, overlap, next_run_at, last_run_id
         FROM schedules
        WHERE enabled AND next_run_at <= $1 AND NOT (id = ANY($2::uuid[]))
        ORDER BY next_run_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      [now, skipIds],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      workflowName: row.workflow_name,
      cronExpression: row.cron_expression,
      timezone: row.timezone,
      inputData: row.input_data,
      maxCostUsd: row.max_cost_usd,
      keyMaxCostUsd: row.key_max_cost_usd,
      overlap: row.overlap,
      nextRunAt: row.next_run_at,
      lastRunId: row.last_run_id,
    };
  }

  async isRunActive(manager: EntityManager, tenantId: string, runId: string): Promise<boolean> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM runs WHERE id = $1 AND tenant_id = $2 AND status IN ('queued', 'running', 'waiting')`,
      [runId, tenantId],
    );
    return rows.length > 0;
  }

  async recordFire(
    manager: EntityManager,
    id: string,
    runId: string,
    firedAt: Date,
    nextRunAt: Date | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE schedules SET last_run_id = $2, last_run_at = $3, next_run_at = $4, updated_at = now() WHERE id = $1`,
      [id, runId, firedAt, nextRunAt],
    );
  }

  async advance(manager: EntityManager, id: string, nextRunAt: Date | null): Promise<void> {
    await manager.query(`UPDATE schedules SET next_run_at = $2, updated_at = now() WHERE id = $1`, [
      id,
      nextRunAt,
    ]);
  }

  /** Moves a schedule on only if nobody else did since `dueAt` was read. */
  async advanceIfStill(
    manager: EntityManager,
    id: string,
    dueAt: Date,
    nextRunAt: Date | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE schedules SET next_run_at = $3, updated_at = now() WHERE id = $1 AND next_run_at = $2`,
      [id, dueAt, nextRunAt],
    );
  }

  async disable(manager: EntityManager, id: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE schedules SET enabled = false, next_run_at = NULL, disabled_reason = $2, updated_at = now() WHERE id = $1`,
      [id, reason],
    );
  }
}
