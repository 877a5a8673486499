import type { RunKind, RunStatus } from '@sandcastle/contracts';
/**
 * One execution of a workflow. The orchestrator changes a run only while holding this row's
 * lock (SELECT … FOR UPDATE), which serialises all work on one run across replicas.
 */
export declare class RunEntity {
    id: string;
    tenantId: string;
    workflowName: string;
    /** Null when the run was started from an inline definition rather than a saved version. */
    workflowVersion: number | null;
    /** The exact definition this run executes; a replay months later runs the same thing. */
    definition: Record<string, unknown>;
    status: RunStatus;
    kind: RunKind;
    inputData: Record<string, unknown>;
    outputs: Record<string, unknown>;
    error: string | null;
    totalCostUsd: number;
    totalInputTokens: number;
    totalOutputTokens: number;
    /** The resolved budget; null means no limit. */
    maxCostUsd: number | null;
    /** Set once the 80% warning has been emitted, so it is emitted once. */
    budgetWarned: boolean;
    callbackUrl: string | null;
    idempotencyKey: string | null;
    /** sha256 hex of the start request, to tell a retried request from a conflicting one. */
    requestHash: string | null;
    parentRunId: string | null;
    rootRunId: string | null;
    replayFromStep: string | null;
    forkChanges: Record<string, unknown> | null;
    createdAt: Date;
    startedAt: Date | null;
    completedAt: Date | null;
    updatedAt: Date;
}
