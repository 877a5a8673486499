import 'reflect-metadata';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { RUNTIME_KINDS, type RuntimeKind } from './statuses';
import type { ArtifactRecord, PromptPart } from './storage-objects';

/**
 * Message payloads exchanged over JetStream. Every payload carries a schema version (`v`) and the
 * tenant id. Each is a class so that `validateMessage()` can check it with class-validator at the
 * consuming edge; producers build plain objects of the same shape.
 */
export const MESSAGE_SCHEMA_VERSION = 1 as const;

/** Most models one `models:` fallback chain may list (the workflow parser enforces the same). */
export const MAX_MODEL_CHAIN = 8;
/** Most tries one attempt records (a chain of 8 tried over several rounds stops recording here). */
export const MAX_MODEL_TRIES = 32;

abstract class TenantMessage {
  @Equals(MESSAGE_SCHEMA_VERSION)
  v!: typeof MESSAGE_SCHEMA_VERSION;

  @IsString()
  @MinLength(1)
  tenantId!: string;
}

/** gateway/scheduler → orchestrator: a run row exists in `queued`; start executing it. */
export class RunStartCommand extends TenantMessage {
  @IsUUID()
  runId!: string;
}

/** gateway → orchestrator: stop a run (the feature itself arrives with run control). */
export class RunCancelCommand extends TenantMessage {
  @IsUUID()
  runId!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}

/**
 * gateway / reconciler → orchestrator: an approval of the run was decided (recorded in
 * `approvals` first); the orchestrator applies every decided, unapplied approval of the run.
 */
export class RunApprovalCommand extends TenantMessage {
  @IsUUID()
  runId!: string;

  @IsString()
  @MinLength(1)
  stepId!: string;
}

/** Settings of the `simulated` runtime for one step; unset fields use the executor's defaults. */
export class SimulationSettings {
  @IsOptional()
  @IsInt()
  @Min(0)
  latencyMs?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  costUsd?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  failureRate?: number;
}

/** Identifies one attempt of one step (or fan-out item) of a run. */
abstract class AttemptMessage extends TenantMessage {
  @IsUUID()
  runId!: string;

  @IsString()
  @MinLength(1)
  stepId!: string;

  /** Fan-out item index, or null for a step without `parallel_over`. */
  @IsOptional()
  @IsInt()
  @Min(0)
  itemIndex!: number | null;

  @IsInt()
  @Min(1)
  attempt!: number;
}

/**
 * orchestrator → executor: everything needed to run one attempt. Executors hold no database
 * connection, so the prompt is already rendered and every limit resolved.
 */
export class StepDispatch extends AttemptMessage {
  @IsString()
  prompt!: string;

  @IsString()
  @MinLength(1)
  model!: string;

  @IsInt()
  @Min(1)
  maxTurns!: number;

  @IsInt()
  @Min(1)
  timeoutSeconds!: number;

  @IsOptional()
  @IsObject()
  outputSchema!: Record<string, unknown> | null;

  /** Explicit runtime from the step or workflow; null lets the executor pick its default. */
  @IsOptional()
  @IsIn(RUNTIME_KINDS)
  runtime!: RuntimeKind | null;

  /**
   * Model API runtimes only: the fallback chain (registry aliases) in order, first = `model`.
   * Absent or empty: just `model`. Optional so a dispatch from an older orchestrator still parses.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MODEL_CHAIN)
  @IsString({ each: true })
  models?: string[];

  /** The workflow's `sandstorm_url` as written (may hold `${VAR}`); resolved by the executor. */
  @IsOptional()
  @IsString()
  sandstormUrl!: string | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => SimulationSettings)
  simulation!: SimulationSettings | null;

  /** True when this attempt is the step's `fallback` call after its retries ran out. */
  @IsOptional()
  isFallback?: boolean;

  @IsISO8601()
  dispatchedAt!: string;

  /**
   * When the orchestrator presumes this attempt lost if nobody started it (its queue deadline).
   * An executor refuses a dispatch that arrives later, without calling any runtime. Optional: a
   * dispatch from an older orchestrator has none and is never refused for it.
   */
  @IsOptional()
  @IsISO8601()
  deadlineAt?: string;

  /**
   * Set when the prompt reads storage (`{storage.PATH}`, or an offloaded output of an earlier
   * step): the executor builds the prompt from these pieces, reading the objects itself; `prompt`
   * then shows those placeholders as written. Absent: `prompt` is final.
   */
  @IsOptional()
  @IsArray()
  promptParts?: PromptPart[];

  /** The step's `storage_write`: where the executor stores the attempt's output (rendered, checked). */
  @IsOptional()
  @IsObject()
  storageWrite?: { key: string; path: string } | null;
}

/** executor → orchestrator: an attempt began running (moves the step to `running`). */
export class StepStarted extends AttemptMessage {
  @IsISO8601()
  startedAt!: string;

  @IsString()
  executorId!: string;

  @IsIn(RUNTIME_KINDS)
  runtime!: RuntimeKind;
}

export class TokenUsage {
  @IsInt()
  @Min(0)
  inputTokens!: number;

  @IsInt()
  @Min(0)
  outputTokens!: number;

  @IsInt()
  @Min(0)
  cacheCreationInputTokens!: number;

  @IsInt()
  @Min(0)
  cacheReadInputTokens!: number;
}

export const ATTEMPT_OUTCOMES = ['completed', 'failed'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Why an attempt failed, for people and for retry decisions. */
export const ATTEMPT_ERROR_KINDS = [
  'runtime_error',
  'timeout',
  'aborted',
  'lost',
  /** The output cannot be stored or sent (nested too deeply, or above the broker's limit). */
  'OUTPUT_TOO_LARGE',
  /** The runtime's event stream broke MAX_RUNTIME_EVENT_BYTES or MAX_RUNTIME_STREAM_BYTES. */
  'RUNTIME_STREAM_TOO_LARGE',
  /** The prompt, once the executor read the storage objects it names, is above MAX_PROMPT_BYTES. */
  'PROMPT_TOO_LARGE',
  /** Storage failed after retries (offloading an output, a `file`, `storage_write`, a read). */
  'STORAGE_ERROR',
  /** `{storage.PATH}` names an object that does not exist and the step has no `storage_default`. */
  'STORAGE_OBJECT_MISSING',
] as const;
export type AttemptErrorKind = (typeof ATTEMPT_ERROR_KINDS)[number];

/** executor → orchestrator: what one attempt produced. Applied at most once per attempt. */
export class StepResult extends AttemptMessage {
  @IsIn(ATTEMPT_OUTCOMES)
  outcome!: AttemptOutcome;

  /** Structured output if the runtime produced one, else the final text. */
  @IsOptional()
  output!: unknown;

  @IsOptional()
  @IsString()
  error!: string | null;

  @IsOptional()
  @IsIn(ATTEMPT_ERROR_KINDS)
  errorKind!: AttemptErrorKind | null;

  @IsNumber()
  @Min(0)
  costUsd!: number;

  @ValidateNested()
  @Type(() => TokenUsage)
  usage!: TokenUsage;

  @IsInt()
  @Min(0)
  numTurns!: number;

  @IsString()
  model!: string;

  @IsIn(RUNTIME_KINDS)
  runtime!: RuntimeKind;

  /**
   * Model API runtimes: every model tried in this attempt, in order, with its cost (the last one
   * answered or failed the attempt). Absent for runtimes without a chain.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MODEL_TRIES)
  @ValidateNested({ each: true })
  @Type(() => ModelTry)
  tries?: ModelTry[];

  @IsISO8601()
  startedAt!: string;

  @IsISO8601()
  finishedAt!: string;

  @IsString()
  executorId!: string;

  /** Objects this attempt stored (offloaded output, Sandstorm files, `storage_write`); recorded with the result. */
  @IsOptional()
  @IsArray()
  artifacts?: ArtifactRecord[];
}

/** One model tried within an attempt (a fallback chain tries several before one answers). */
export class ModelTry {
  @IsString()
  model!: string;

  @IsIn(RUNTIME_KINDS)
  runtime!: RuntimeKind;

  @IsIn(ATTEMPT_OUTCOMES)
  outcome!: AttemptOutcome;

  /** Why this model was passed over or failed; null when it answered. */
  @IsOptional()
  @IsString()
  error!: string | null;

  @IsNumber()
  @Min(0)
  costUsd!: number;
}

export const RUN_EVENT_TYPES = ['status', 'step', 'budget', 'result', 'approval'] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/**
 * orchestrator → anyone following a run (SSE, notifier). `data` uses the API's snake_case shapes
 * so the gateway can forward it as is.
 */
export class RunEvent extends TenantMessage {
  @IsUUID()
  runId!: string;

  @IsIn(RUN_EVENT_TYPES)
  type!: RunEventType;

  @IsISO8601()
  at!: string;

  @IsObject()
  data!: Record<string, unknown>;
}

export function emptyUsage(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
}
