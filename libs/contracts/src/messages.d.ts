import 'reflect-metadata';
import { type RuntimeKind } from './statuses';
/**
 * Message payloads exchanged over JetStream. Every payload carries a schema version (`v`) and the
 * tenant id. Each is a class so that `validateMessage()` can check it with class-validator at the
 * consuming edge; producers build plain objects of the same shape.
 */
export declare const MESSAGE_SCHEMA_VERSION: 1;
declare abstract class TenantMessage {
    v: typeof MESSAGE_SCHEMA_VERSION;
    tenantId: string;
}
/** gateway/scheduler → orchestrator: a run row exists in `queued`; start executing it. */
export declare class RunStartCommand extends TenantMessage {
    runId: string;
}
/** gateway → orchestrator: stop a run (the feature itself arrives with run control). */
export declare class RunCancelCommand extends TenantMessage {
    runId: string;
    reason?: string;
}
/** Settings of the `simulated` runtime for one step; unset fields use the executor's defaults. */
export declare class SimulationSettings {
    latencyMs?: number;
    costUsd?: number;
    failureRate?: number;
}
/** Identifies one attempt of one step (or fan-out item) of a run. */
declare abstract class AttemptMessage extends TenantMessage {
    runId: string;
    stepId: string;
    /** Fan-out item index, or null for a step without `parallel_over`. */
    itemIndex: number | null;
    attempt: number;
}
/**
 * orchestrator → executor: everything needed to run one attempt. Executors hold no database
 * connection, so the prompt is already rendered and every limit resolved.
 */
export declare class StepDispatch extends AttemptMessage {
    prompt: string;
    model: string;
    maxTurns: number;
    timeoutSeconds: number;
    outputSchema: Record<string, unknown> | null;
    /** Explicit runtime from the step or workflow; null lets the executor pick its default. */
    runtime: RuntimeKind | null;
    /** The workflow's `sandstorm_url` as written (may hold `${VAR}`); resolved by the executor. */
    sandstormUrl: string | null;
    simulation: SimulationSettings | null;
    /** True when this attempt is the step's `fallback` call after its retries ran out. */
    isFallback?: boolean;
    dispatchedAt: string;
}
/** executor → orchestrator: an attempt began running (moves the step to `running`). */
export declare class StepStarted extends AttemptMessage {
    startedAt: string;
    executorId: string;
    runtime: RuntimeKind;
}
export declare class TokenUsage {
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
}
export declare const ATTEMPT_OUTCOMES: readonly ["completed", "failed"];
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
/** Why an attempt failed, for people and for retry decisions. */
export declare const ATTEMPT_ERROR_KINDS: readonly ["runtime_error", "timeout", "aborted", "lost"];
export type AttemptErrorKind = (typeof ATTEMPT_ERROR_KINDS)[number];
/** executor → orchestrator: what one attempt produced. Applied at most once per attempt. */
export declare class StepResult extends AttemptMessage {
    outcome: AttemptOutcome;
    /** Structured output if the runtime produced one, else the final text. */
    output: unknown;
    error: string | null;
    errorKind: AttemptErrorKind | null;
    costUsd: number;
    usage: TokenUsage;
    numTurns: number;
    model: string;
    runtime: RuntimeKind;
    startedAt: string;
    finishedAt: string;
    executorId: string;
}
export declare const RUN_EVENT_TYPES: readonly ["status", "step", "budget", "result"];
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];
/**
 * orchestrator → anyone following a run (SSE, notifier). `data` uses the API's snake_case shapes
 * so the gateway can forward it as is.
 */
export declare class RunEvent extends TenantMessage {
    runId: string;
    type: RunEventType;
    at: string;
    data: Record<string, unknown>;
}
export declare function emptyUsage(): TokenUsage;
export {};
