import type { ApprovalStatus } from '@sandcastle/contracts';

/** One approval of a run (`GET /approvals`, `POST /runs/{id}/approvals/{step}`). */
export interface ApprovalView {
  run_id: string;
  step_id: string;
  workflow_name: string;
  status: ApprovalStatus;
  /** The step's message, rendered when the step began waiting. */
  message: string;
  /** What the approver is shown (the `show` path, or the dependencies' outputs). */
  data: unknown;
  /** In `GET /approvals`: `data` was above MAX_EVENT_OUTPUT_BYTES and is a string preview of its JSON. */
  data_truncated?: true;
  allow_edit: boolean;
  on_timeout: 'reject' | 'approve' | 'skip';
  requested_at: string;
  /** When `on_timeout` decides; null = no timeout. */
  expires_at: string | null;
  decided_at: string | null;
  /** `api_key:<id>`, `admin`, `anonymous`, `timeout`, or `system` (the run ended first). */
  decided_by: string | null;
  comment: string | null;
  edited_output: unknown;
}
