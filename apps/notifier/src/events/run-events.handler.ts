import { MessagePattern, Payload } from '@nestjs/microservices';
import { RunEvent, TERMINAL_RUN_STATUSES, validateMessage, type RunStatus } from '@sandcastle/contracts';
import { JetStreamHandlers, Outcome, type HandlerOutcome } from '@sandcastle/messaging';
import {
  PlanDeliveriesUseCase,
  type ApprovalRequested,
  type RunResult,
} from '../planning/plan-deliveries.use-case';

/**
 * The pattern the notifier's handler is registered under. Its messages come from SC_NOTIFICATIONS
 * (`<ns>.notify.run.<runId>.<type>`), each a run event (`result` or `approval`) of a run that has
 * a delivery target; the orchestrator sends them beside the events themselves.
 */
export const NOTIFICATIONS_PATTERN = 'notify.run';

/**
 * Run results and approval requests to plan deliveries for (one durable consumer all notifier
 * replicas share). A run's `result` plans its deliveries and is acked once they are stored; an
 * approval request is announced the same way.
 */
@JetStreamHandlers()
export class RunEventsHandler {
  constructor(private readonly plan: PlanDeliveriesUseCase) {}

  @MessagePattern(NOTIFICATIONS_PATTERN)
  async handle(@Payload() payload: unknown): Promise<HandlerOutcome> {
    const event = validateMessage(RunEvent, payload);
    if (event.type === 'approval') {
      const request = approvalRequestOf(event);
      if (request) await this.plan.executeApproval(request);
      return Outcome.ack();
    }
    if (event.type !== 'result') return Outcome.ack();
    const result = resultOf(event);
    if (!result) return Outcome.terminate(`result event of run ${event.runId} has no final status`);
    await this.plan.execute(result);
    return Outcome.ack();
  }
}

/** The approval request of a `pending` approval event; null for a decision (not announced). */
function approvalRequestOf(event: RunEvent): ApprovalRequested | null {
  const data = event.data;
  if (data['status'] !== 'pending' || typeof data['step_id'] !== 'string') return null;
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return {
    runId: event.runId,
    workflowName: text(data['workflow_name']) ?? 'unknown',
    approval: {
      step_id: data['step_id'],
      message: text(data['message']) ?? '',
      // The event carries the data as a preview when it is large: then null (GET /approvals has it).
      data: 'output_truncated' in data ? null : (data['output'] ?? null),
      allow_edit: data['allow_edit'] === true,
      expires_at: text(data['expires_at']),
      on_timeout: text(data['on_timeout']) ?? 'reject',
    },
  };
}

function resultOf(event: RunEvent): RunResult | null {
  const data = event.data;
  const status = data['status'] as RunStatus;
  if (!TERMINAL_RUN_STATUSES.includes(status)) return null;
  const num = (value: unknown): number | null =>
    typeof value === 'number' && Number.isFinite(value) ? value : null;
  const outputs = data['outputs'];
  return {
    runId: event.runId,
    workflowName: typeof data['workflow_name'] === 'string' ? data['workflow_name'] : 'unknown',
    status,
    outputs:
      outputs !== null && typeof outputs === 'object' && !Array.isArray(outputs)
        ? (outputs as Record<string, unknown>)
        : {},
    error: typeof data['error'] === 'string' ? data['error'] : null,
    totalCostUsd: num(data['total_cost_usd']) ?? 0,
    durationSeconds: num(data['duration_seconds']),
  };
}
