import type { RunKind, RunStatus, RuntimeKind, StepStatus } from '@sandcastle/contracts';
import type { OutgoingMessage } from '@sandcastle/messaging';
import type { WorkflowDefinition } from '@sandcastle/workflow';

/**
 * How an outbox row is delivered: `stream` is a JetStream message (with its id); `stop` is a
 * stopped run's abort, sent as the core-NATS cancel signal plus the stopped-runs key-value mark.
 */
export type OutboxKind = 'stream' | 'stop';

/** A message a transition writes to the outbox. */
export interface EngineMessage extends OutgoingMessage {
  kind: OutboxKind;
}

/** The `runs` columns the engine reads and writes. */
export interface RunRow {
  id: string;
  tenantId: string;
  workflowName: string;
  definition: WorkflowDefinition;
  status: RunStatus;
  inputData: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error: string | null;
  totalCostUsd: number;
  totalInputTokens: number;
  totalOutputTokens: number;
  maxCostUsd: number | null;
  /** The 80 % budget warning went out already (it is sent once). */
  budgetWarned: boolean;
  /** Completions so far: the checkpoint after completion k is every step row with seq <= k. */
  checkpointSeq: number;
  kind: RunKind;
  /** For a replay or fork: the run whose completed steps are restored. */
  parentRunId: string | null;
  /** For a replay or fork: this step and everything depending on it run again. */
  replayFromStep: string | null;
  /** A user asked to cancel (recorded by the gateway); applied at the run's next transition. */
  cancelRequestedAt: Date | null;
  cancelReason: string | null;
  /**
   * W3C trace context of the run (one trace per run), set by whoever created it; a run without
   * one (created before traces existed) gets a new trace at its next transition.
   */
  traceparent?: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

/** Plain steps have item index -1; fan-out items 0..n-1 (and the step row -1 aggregates them). */
export const STEP_ROW = -1;

/** The `run_steps` columns the engine reads and writes. */
export interface StepRow {
  stepId: string;
  itemIndex: number;
  itemCount: number | null;
  status: StepStatus;
  attempt: number;
  output: unknown;
  error: string | null;
  errorKind: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  numTurns: number;
  durationSeconds: number | null;
  model: string | null;
  runtime: RuntimeKind | null;
  prompt: string | null;
  isFallback: boolean;
  executorId: string | null;
  queuedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  nextAttemptAt: Date | null;
  deadlineAt: Date | null;
  restoredFrom: string | null;
  /** Set when the row completed (or was skipped / dead-lettered): its place in the run's checkpoints. */
  checkpointSeq: number | null;
  /** The stored row's write counter as read; -1 for a row not stored yet (see StepRowVersion migration). */
  rowVersion: number;
  /**
   * Set while the row's next attempt (`attempt`, already prepared) waits for a free slot of the
   * tenant's cap on running attempts; the oldest waiter of a tenant goes first.
   */
  waitingSince: Date | null;
}

/** A step (or fan-out item) that finally failed in a workflow with `on_failure.dead_letter`. */
export interface DeadLetter {
  stepId: string;
  itemIndex: number;
  error: string;
  attempts: number;
  inputData: Record<string, unknown>;
}

/** A row whose attempt holds one of its tenant's slots (a fan-out step's own row never runs). */
export function holdsSlot(row: Pick<StepRow, 'status' | 'itemIndex' | 'itemCount'>): boolean {
  return (
    (row.status === 'queued' || row.status === 'running') &&
    !(row.itemIndex === STEP_ROW && row.itemCount !== null)
  );
}

export function stepKey(stepId: string, itemIndex: number): string {
  return `${stepId}\u0000${itemIndex}`;
}

export function newStepRow(stepId: string, itemIndex: number): StepRow {
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
