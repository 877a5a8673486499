import type { StepStatus } from '@sandcastle/contracts';
/** `item_index` of the row that stands for the step as a whole (not one fan-out item). */
export declare const STEP_ROW_ITEM_INDEX = -1;
/**
 * The current state of one step of a run (item_index = -1) or of one fan-out item of it
 * (item_index >= 0). Exactly one row per (run, step, item): the orchestrator updates it in place
 * as attempts come and go; the history of attempts lives in step_attempts.
 */
export declare class RunStepEntity {
    id: string;
    runId: string;
    tenantId: string;
    stepId: string;
    itemIndex: number;
    /** Fan-out size, set on the step row (item_index = -1) once the items are known. */
    itemCount: number | null;
    status: StepStatus;
    /** Number of the current (or last) attempt; 0 before the first dispatch. */
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
    runtime: string | null;
    /** The rendered prompt of the latest attempt, as the agent received it. */
    prompt: string | null;
    isFallback: boolean;
    executorId: string | null;
    queuedAt: Date | null;
    startedAt: Date | null;
    completedAt: Date | null;
    /** When a retry waiting for its backoff becomes due; null when none is waiting. */
    nextAttemptAt: Date | null;
    /** After this the reconciler presumes the in-flight attempt lost (its executor died). */
    deadlineAt: Date | null;
    /** The run_steps row of the parent run this result was copied from by a replay or fork. */
    restoredFrom: string | null;
    updatedAt: Date;
}
