import {
  emptyUsage,
  type AttemptErrorKind,
  type RuntimeKind,
  type SimulationSettings,
  type TokenUsage,
} from '@sandcastle/contracts';

/** One attempt of one step (or fan-out item), with every limit already resolved by the orchestrator. */
export interface AttemptRequest {
  runId: string;
  stepId: string;
  itemIndex: number | null;
  attempt: number;
  prompt: string;
  model: string;
  maxTurns: number;
  timeoutSeconds: number;
  outputSchema: Record<string, unknown> | null;
  /** Per-step overrides for the `simulated` runtime; other runtimes ignore it. */
  simulation?: SimulationSettings | null;
}

export interface AttemptOutput {
  /** Structured output when present, else the final text. */
  output: unknown;
  costUsd: number;
  usage: TokenUsage;
  numTurns: number;
  /** The model that actually ran (may differ from the requested alias). */
  model: string;
  /** Files the runtime returned (Sandstorm `file` events), stored by the executor as artifacts. */
  files?: RuntimeFile[];
  /** Files the runtime sent that were not kept (MAX_RUNTIME_FILE_BYTES or a broken event). */
  filesDropped?: number;
}

export interface RuntimeFile {
  /** The path the runtime gave (relative to its work directory); only ever used as a label. */
  name: string;
  data: Buffer;
}

export type RuntimeProgress = { kind: 'message'; summary: string } | { kind: 'ping' };

export interface AgentRuntime {
  readonly kind: RuntimeKind;
  /**
   * Resolves with the output, or rejects with AttemptFailedError. Must stop promptly when `signal`
   * aborts: it then rejects with `signal.reason` (if an Error) or a DOMException 'AbortError', and
   * the caller decides whether that was a timeout or a cancel.
   */
  run(
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
  ): Promise<AttemptOutput>;
}

/**
 * The attempt ran and failed. `message` is what a user should read. Cost and usage are carried
 * because a failed agent run can still have spent money, and budgets must count it.
 */
export class AttemptFailedError extends Error {
  constructor(
    message: string,
    readonly costUsd = 0,
    readonly usage: TokenUsage = emptyUsage(),
    readonly numTurns = 0,
    readonly model: string | null = null,
    /** How the result names the failure: a breached limit has its own stable kind. */
    readonly kind: Extract<
      AttemptErrorKind,
      'runtime_error' | 'OUTPUT_TOO_LARGE' | 'RUNTIME_STREAM_TOO_LARGE'
    > = 'runtime_error',
  ) {
    super(message);
    this.name = 'AttemptFailedError';
  }
}

/** The output (generated, or sent by a runtime) is above MAX_STEP_OUTPUT_BYTES. */
export class OutputTooLargeError extends AttemptFailedError {
  constructor(message: string, costUsd = 0, usage?: TokenUsage, numTurns = 0, model: string | null = null) {
    super(message, costUsd, usage, numTurns, model, 'OUTPUT_TOO_LARGE');
    this.name = 'OutputTooLargeError';
  }
}

/** A runtime's response stream broke MAX_RUNTIME_EVENT_BYTES or MAX_RUNTIME_STREAM_BYTES. */
export class RuntimeStreamTooLargeError extends AttemptFailedError {
  constructor(message: string) {
    super(message, 0, undefined, 0, null, 'RUNTIME_STREAM_TOO_LARGE');
    this.name = 'RuntimeStreamTooLargeError';
  }
}

/**
 * True for Error objects from any realm (undici and test sandboxes create errors whose
 * prototype chain is not this realm's Error, so `instanceof` alone is not enough).
 */
export function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { name, message } = value as { name?: unknown; message?: unknown };
  return typeof name === 'string' && typeof message === 'string';
}

/** The error a runtime rejects with once `signal` has aborted. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return isErrorLike(reason) ? reason : new DOMException('The attempt was aborted', 'AbortError');
}
