import { randomUUID } from 'node:crypto';
import {
  boundedOutput,
  isTerminalStepStatus,
  MESSAGE_SCHEMA_VERSION,
  type RunEvent,
  type RunEventType,
} from '@sandcastle/contracts';
import { type RunRow, type StepRow } from '../run-state';
import type { MachineContext } from './context';

/**
 * Run events (`sc.evt.run.<runId>`): what the notifier, the SSE stream and the dashboard see of
 * a run. They go to the outbox with the transition, so an event is published exactly when the
 * change it reports is committed.
 */
export function emit(m: MachineContext, type: RunEventType, data: Record<string, unknown>): void {
  const event: RunEvent = {
    v: MESSAGE_SCHEMA_VERSION,
    tenantId: m.run.tenantId,
    runId: m.run.id,
    type,
    at: m.now.toISOString(),
    data,
  };
  const eventId = randomUUID();
  m.effects.message({
    subject: m.settings.names.runEvent(m.run.id, type),
    msgId: `evt:${m.run.id}:${eventId}`,
    payload: event,
    kind: 'stream',
  });
  if (NOTIFIED_TYPES.has(type) && hasDeliveryTargets(m.run)) {
    m.effects.message({
      subject: m.settings.names.notification(m.run.id, type),
      msgId: `notify:${m.run.id}:${eventId}`,
      payload: event,
      kind: 'stream',
    });
  }
}

/** The event types that can lead to a delivery (apps/notifier plans them). */
const NOTIFIED_TYPES: ReadonlySet<RunEventType> = new Set(['result', 'approval']);

/**
 * Whether anybody may have to hear of this run: the sources of apps/notifier's delivery targets.
 * A run from a schedule always counts (its callback and Slack are read when the delivery is
 * planned, and may have been set since); a workflow webhook counts even when its `${VAR}` turns
 * out empty.
 */
export function hasDeliveryTargets(run: Pick<RunRow, 'callbackUrl' | 'scheduleId' | 'definition'>): boolean {
  const def = run.definition;
  return Boolean(
    run.callbackUrl ||
    run.scheduleId ||
    def.onComplete?.webhook ||
    def.onFailure?.webhook ||
    def.notify?.slack,
  );
}

/** A `step` event for a row's new state (and, for a row that finished, a count for the metrics). */
export function emitStep(m: MachineContext, row: StepRow): void {
  const aggregate = row.itemIndex === null && row.itemCount !== null;
  if (!aggregate && isTerminalStepStatus(row.status)) m.effects.stepFinished(row.status);
  emit(m, 'step', {
    run_id: m.run.id,
    step_id: row.stepId,
    parallel_index: row.itemIndex,
    fan_out: aggregate,
    status: row.status,
    attempt: row.attempt,
    // Events stay far below the broker's max payload: a large output travels as a preview.
    ...(row.status === 'completed' ? boundedOutput(row.output, m.limits.maxEventOutputBytes) : {}),
    ...(row.error ? { error: row.error } : {}),
    cost_usd: row.costUsd,
    ...(row.nextAttemptAt ? { next_attempt_at: row.nextAttemptAt.toISOString() } : {}),
    ...(row.waitingSince ? { waiting_for_capacity: true } : {}),
  });
}
