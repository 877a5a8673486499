import type { RunStatus } from './statuses';

/** `POST/GET/PATCH /schedules` answer (docs/api.md, Schedules). */
export interface ScheduleView {
  id: string;
  workflow_name: string;
  cron_expression: string;
  timezone: string;
  /** The cron in words ("Every 6 hours"). */
  description: string;
  input_data: Record<string, unknown>;
  enabled: boolean;
  /** `skip`: a due time is skipped while the previous run of this schedule is active. */
  overlap: 'skip' | 'allow';
  max_cost_usd: number | null;
  callback_url: string | null;
  notify: { slack: string | null };
  next_run_at: string | null;
  last_run_at: string | null;
  last_run_id: string | null;
  /** Why the scheduler disabled it (its workflow was deleted); null otherwise. */
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export const WEBHOOK_EVENTS = ['workflow.completed', 'workflow.failed', 'approval.requested'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The webhook's `event` for a run's final status: `workflow.completed` only for `completed`. */
export function webhookEventOf(status: RunStatus): WebhookEvent {
  return status === 'completed' ? 'workflow.completed' : 'workflow.failed';
}

/**
 * The body of a run-end webhook, exactly these keys (docs/webhooks.md). `timestamp` is the time
 * of the attempt (ISO UTC), so a receiver can reject old or replayed requests.
 */
export interface WebhookBody {
  event: WebhookEvent;
  run_id: string;
  workflow: string;
  status: RunStatus;
  outputs: Record<string, unknown>;
  total_cost_usd: number;
  duration_seconds: number | null;
  error: string | null;
  /** `approval.requested` only: the step waiting for a decision (docs/runtimes.md#human-approval). */
  approval?: WebhookApproval;
  timestamp: string;
}

/** What an `approval.requested` webhook tells the approver's system. */
export interface WebhookApproval {
  step_id: string;
  message: string;
  /** The data shown, or null when above the event preview budget (read it with GET /approvals). */
  data: unknown;
  allow_edit: boolean;
  expires_at: string | null;
  on_timeout: string;
}

/** Headers of every webhook request. */
export const WEBHOOK_HEADERS = {
  event: 'X-Sandcastle-Event',
  delivery: 'X-Sandcastle-Delivery',
  signature: 'X-Sandcastle-Signature',
} as const;

/** One HTTP attempt of a delivery. */
export interface DeliveryAttemptView {
  attempt: number;
  started_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

/** `GET /runs/{id}/deliveries` item. */
export interface DeliveryView {
  id: string;
  run_id: string;
  target: string;
  format: 'webhook' | 'slack';
  url: string;
  event: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  give_up_at: string;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  attempt_log: DeliveryAttemptView[];
}
