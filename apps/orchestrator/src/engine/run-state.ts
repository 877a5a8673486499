import type { OutgoingMessage } from '@sandcastle/messaging';
import type { StepRow } from './columns/step-columns';

// The row types are derived from the column descriptors (one list per table).
export type { RunRow } from './columns/run-columns';
export type { StepRow } from './columns/step-columns';

/**
 * How an outbox row is delivered: `stream` is a JetStream message (with its id); `stop` is a
 * stopped run's abort, sent as the core-NATS cancel signal plus the stopped-runs key-value mark.
 */
export type OutboxKind = 'stream' | 'stop';

/** A message a transition writes to the outbox. */
export interface EngineMessage extends OutgoingMessage {
  kind: OutboxKind;
}

/** A step (or fan-out item) that finally failed in a workflow with `on_failure.dead_letter`. */
export interface DeadLetter {
  stepId: string;
  /** The fan-out item; null for a plain step. */
  itemIndex: number | null;
  error: string;
  attempts: number;
  inputData: Record<string, unknown>;
}

/** A row whose attempt holds one of its tenant's slots (a fan-out step's own row never runs). */
export function holdsSlot(row: Pick<StepRow, 'status' | 'itemIndex' | 'itemCount'>): boolean {
  return (
    (row.status === 'queued' || row.status === 'running') &&
    !(row.itemIndex === null && row.itemCount !== null)
  );
}

/** Key of a step row: a step's own row (item index null) and each fan-out item have their own. */
export function stepKey(stepId: string, itemIndex: number | null): string {
  return `${stepId}\u0000${itemIndex}`;
}

/** Orders rows of one step: the step's own row (null) first, then the items by index. */
export function byItemIndex(a: Pick<StepRow, 'itemIndex'>, b: Pick<StepRow, 'itemIndex'>): number {
  if (a.itemIndex === b.itemIndex) return 0;
  if (a.itemIndex === null) return -1;
  if (b.itemIndex === null) return 1;
  return a.itemIndex - b.itemIndex;
}

export function newStepRow(stepId: string, itemIndex: number | null): StepRow {
  return {
    stepId,
    itemIndex,
    itemCount: null,
    status: 'pending',
    attempt: 0,
    output: null,
    error: null,
    errorKind: null,
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    numTurns: 0,
    durationSeconds: null,
    model: null,
    runtime: null,
    prompt: null,
    isFallback: false,
    executorId: null,
    queuedAt: null,
    startedAt: null,
    completedAt: null,
    nextAttemptAt: null,
    deadlineAt: null,
    restoredFrom: null,
    checkpointSeq: null,
    rowVersion: -1,
    waitingSince: null,
  };
}
