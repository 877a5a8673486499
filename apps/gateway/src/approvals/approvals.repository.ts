import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApprovalDecision, ApprovalStatus } from '@sandcastle/contracts';
import { returnedRows } from '@sandcastle/persistence';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope';

export interface ApprovalRow {
  run_id: string;
  step_id: string;
  tenant_id: string;
  workflow_name: string;
  status: ApprovalStatus;
  message: string;
  data: unknown;
  allow_edit: boolean;
  on_timeout: 'reject' | 'approve' | 'skip';
  requested_at: Date;
  expires_at: Date | null;
  decided_at: Date | null;
  decided_by: string | null;
  comment: string | null;
  edited_output: unknown;
}

const STATUS_OF: Record<ApprovalDecision, ApprovalStatus> = {
  approve: 'approved',
  reject: 'rejected',
  skip: 'skipped',
};

const COLUMNS = `run_id, step_id, tenant_id, workflow_name, status, message, data, allow_edit, on_timeout,
  requested_at, expires_at, decided_at, decided_by, comment, edited_output`;

/** Approvals (requested by the orchestrator); every query is scoped by tenant. */
@Injectable()
export class ApprovalsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async list(
    scope: TenantScope,
    status: ApprovalStatus | undefined,
    limit: number,
    offset: number,
  ): Promise<{ rows: ApprovalRow[]; total: number }> {
    const params = [tenantParam(scope), status ?? null];
    const where = `($1::varchar IS NULL OR tenant_id = $1) AND ($2::varchar IS NULL OR status = $2)`;
    const rows = await this.db.query<ApprovalRow[]>(
      `SELECT ${COLUMNS} FROM approvals WHERE ${where} ORDER BY requested_at DESC, run_id, step_id
        LIMIT $3 OFFSET $4`,
      [...params, limit, offset],
    );
    const [count] = await this.db.query<{ total: string }[]>(
      `SELECT count(*) AS total FROM approvals WHERE ${where}`,
      params,
    );
    return { rows, total: Number(count?.total ?? 0) };
  }

  async find(scope: TenantScope, runId: string, stepId: string): Promise<ApprovalRow | null> {
    const rows = await this.db.query<ApprovalRow[]>(
      `SELECT ${COLUMNS} FROM approvals
        WHERE run_id = $1 AND step_id = $2 AND ($3::varchar IS NULL OR tenant_id = $3)`,
      [runId, stepId, tenantParam(scope)],
    );
    return rows[0] ?? null;
  }

  /**
   * Takes the decision if nobody took it yet: `WHERE status = 'pending'` under the row's lock
   * makes exactly one of any number of concurrent deciders (people, the timeout sweep, the run
   * ending) succeed; the others get null.
   */
  async decide(
    tenantId: string,
    runId: string,
    stepId: string,
    decision: { decision: ApprovalDecision; by: string; comment: string | null; editedOutput: unknown },
  ): Promise<ApprovalRow | null> {
    const raw: unknown = await this.db.query(
      `UPDATE approvals
          SET status = $4, decided_at = now(), decided_by = $5, comment = $6, edited_output = $7::jsonb
        WHERE run_id = $1 AND step_id = $2 AND tenant_id = $3 AND status = 'pending'
        RETURNING ${COLUMNS}`,
      [
        runId,
        stepId,
        tenantId,
        STATUS_OF[decision.decision],
        decision.by,
        decision.comment,
        decision.editedOutput === undefined ? null : JSON.stringify(decision.editedOutput),
      ],
    );
    return (returnedRows(raw)[0] as ApprovalRow | undefined) ?? null;
  }
}
