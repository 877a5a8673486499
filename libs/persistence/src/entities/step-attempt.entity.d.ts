import type { AttemptErrorKind } from '@sandcastle/contracts';
/** How an applied attempt ended. */
export type AttemptOutcome = 'completed' | 'failed';
/**
 * The record of one applied attempt result. The primary key (run, step, item, attempt) is what
 * makes applying a result idempotent: the orchestrator inserts this row in the same transaction
 * that updates run_steps, and a redelivered result hits the key and changes nothing.
 */
export declare class StepAttemptEntity {
    runId: string;
    stepId: string;
    itemIndex: number;
    attempt: number;
    tenantId: string;
    outcome: AttemptOutcome;
    output: unknown;
    error: string | null;
    errorKind: AttemptErrorKind | null;
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
    numTurns: number;
    model: string | null;
    runtime: string | null;
    executorId: string | null;
    startedAt: Date | null;
    finishedAt: Date | null;
    appliedAt: Date;
}
