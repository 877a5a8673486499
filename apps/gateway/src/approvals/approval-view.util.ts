import { boundedOutput } from '@sandcastle/contracts';
import type { ApprovalRow } from './approvals.repository';
import type { ApprovalView } from './approval.views';

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

/**
 * The view of an approval. In a list (`maxDataBytes` set) a large `data` comes as a string preview
 * of its JSON with `data_truncated: true`, so a page of 200 approvals stays small; the full data
 * is in the decision's answer and in the source step's output (`GET /runs/{id}`).
 */
export function toApprovalView(row: ApprovalRow, maxDataBytes?: number): ApprovalView {
  const bounded = maxDataBytes === undefined ? { output: row.data } : boundedOutput(row.data, maxDataBytes);
  return {
    run_id: row.run_id,
    step_id: row.step_id,
    workflow_name: row.workflow_name,
    status: row.status,
    message: row.message,
    data: bounded.output,
    ...('output_truncated' in bounded ? { data_truncated: true as const } : {}),
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
