import type { EntityManager } from 'typeorm';
import type { ApprovalStatus } from '@sandcastle/contracts';
import { returnedRows } from '@sandcastle/persistence';
import type { DecidedApproval } from './approval-step.util';
import type { RunMachine, RunTransition } from './run-machine';

type Q = Pick<EntityManager, 'query'>;

/**
 * Writes what a transition did to approvals, in its transaction: new requests (idempotent: a
 * redelivered transition inserts nothing twice), and for runs that ended, their approvals still
 * pending become `cancelled` (so no one can decide them, and the list of pending ones stays true).
 */
export async function saveApprovalChanges(q: Q, transitions: readonly RunTransition[]): Promise<void> {
  const requests = transitions.flatMap(({ run, effects }) =>
    effects.approvalRequests.map((r) => ({
      run_id: run.id,
      step_id: r.stepId,
      tenant_id: run.tenantId,
      workflow_name: run.workflowName,
      message: r.message,
      data: r.data === undefined ? null : r.data,
      allow_edit: r.allowEdit,
      on_timeout: r.onTimeout,
      expires_at: r.expiresAt,
    })),
  );
  if (requests.length > 0) {
    await q.query(
      `INSERT INTO approvals (run_id, step_id, tenant_id, workflow_name, message, data, allow_edit, on_timeout, expires_at)
       SELECT run_id, step_id, tenant_id, workflow_name, message, data, allow_edit, on_timeout, expires_at
         FROM jsonb_to_recordset($1::jsonb) AS x(run_id uuid, step_id varchar, tenant_id varchar,
              workflow_name varchar, message text, data jsonb, allow_edit boolean, on_timeout varchar,
              expires_at timestamptz)
       ON CONFLICT ON CONSTRAINT pk_approvals DO NOTHING`,
      [JSON.stringify(requests)],
    );
  }
  // Only a workflow with approval steps can have approvals to cancel (most have none: no statement).
  const ended = transitions
    .filter(
      (t) => t.effects.runEnded !== null && t.run.definition.steps.some((s) => s.approval !== undefined),
    )
    .map((t) => t.run.id);
  if (ended.length > 0) {
    await q.query(
      `UPDATE approvals SET status = 'cancelled', decided_at = now(), decided_by = 'system',
              comment = 'the run ended before a decision', applied_at = now()
        WHERE run_id = ANY($1::uuid[]) AND status = 'pending'`,
      [ended],
    );
  }
}

interface DecidedRow {
  step_id: string;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: Date;
  comment: string | null;
  data: unknown;
  edited_output: unknown;
  allow_edit: boolean;
}

/**
 * Applies the run's decided, not yet applied approvals to its machine (under the run's lock) and
 * marks them applied in the same transaction: each decision reaches the run exactly once, whether
 * the gateway's command, a redelivery or the reconciler gets here first.
 */
export async function applyDecidedApprovals(q: Q, machine: RunMachine): Promise<number> {
  const rows = await q.query<DecidedRow[]>(
    `SELECT step_id, status, decided_by, decided_at, comment, data, edited_output, allow_edit
       FROM approvals
      WHERE run_id = $1 AND status <> 'pending' AND applied_at IS NULL
      ORDER BY decided_at
      FOR UPDATE`,
    [machine.run.id],
  );
  let applied = 0;
  for (const row of rows) {
    if (row.status === 'pending' || row.status === 'cancelled') continue;
    const decision: DecidedApproval = {
      stepId: row.step_id,
      status: row.status,
      decidedBy: row.decided_by ?? 'unknown',
      decidedAt: new Date(row.decided_at),
      comment: row.comment,
      output: row.allow_edit && row.edited_output !== null ? row.edited_output : row.data,
    };
    if (machine.decideApproval(decision) === 'applied') applied++;
  }
  if (rows.length > 0) {
    await q.query(
      `UPDATE approvals SET applied_at = now() WHERE run_id = $1 AND step_id = ANY($2::varchar[])`,
      [machine.run.id, rows.map((r) => r.step_id)],
    );
  }
  return applied;
}

/**
 * Decides every approval whose timeout passed, as its `on_timeout` says, exactly once: the same
 * `WHERE status = 'pending'` gate as a person's decision, so a click and a timeout at the same
 * moment produce one decision, and the other is refused. Returns the runs to apply them to.
 */
export async function expireApprovals(q: Q, limit: number): Promise<string[]> {
  const raw: unknown = await q.query(
    `UPDATE approvals a
        SET status = CASE a.on_timeout WHEN 'approve' THEN 'approved' WHEN 'skip' THEN 'skipped' ELSE 'rejected' END,
            decided_at = now(), decided_by = 'timeout',
            comment = 'no decision before the timeout (on_timeout: ' || a.on_timeout || ')'
       FROM (SELECT run_id, step_id FROM approvals
              WHERE status = 'pending' AND expires_at <= now()
              ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
      WHERE a.run_id = due.run_id AND a.step_id = due.step_id
      RETURNING a.run_id`,
    [limit],
  );
  // A bare UPDATE … RETURNING comes back from TypeORM as [rows, count].
  return [...new Set(returnedRows<{ run_id: string }>(raw).map((r) => r.run_id))];
}

/** Runs with a decided approval not applied yet (a lost command, a crash before applying). */
export async function runsWithUnappliedApprovals(q: Q, limit: number): Promise<string[]> {
  const rows = await q.query<{ run_id: string }[]>(
    `SELECT DISTINCT run_id FROM approvals WHERE status <> 'pending' AND applied_at IS NULL LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.run_id);
}
