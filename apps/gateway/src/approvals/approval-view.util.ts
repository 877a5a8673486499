import type { ApprovalRow } from './approvals.repository';
import type { ApprovalView } from './approval.views';

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toApprovalView(row: ApprovalRow): ApprovalView {
  return {
    run_id: row.run_id,
    step_id: row.step_id,
    workflow_name: row.workflow_name,
    status: row.status,
    message: row.message,
    data: row.data,
    allow_edit: row.allow_edit,
    on_timeout: row.on_timeout,
    requested_at: new Date(row.requested_at).toISOString(),
    expires_at: iso(row.expires_at),
    decided_at: iso(row.decided_at),
    decided_by: row.decided_by,
    comment: row.comment,
    edited_output: row.edited_output,
  };
}
