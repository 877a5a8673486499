import { costOf, type ModelEntry, type ModelRuntime } from '@sandcastle/config';
import type { TokenUsage } from '@sandcastle/contracts';
import { AttemptFailedError, type AttemptRequest, type RuntimeProgress } from '../agent-runtime';
import { ProviderCallError } from './provider-call-error';
import { checkAgainstSchema, schemaMismatchMessage } from './output-schema-check.util';
import type { StreamLimits } from './provider-stream';

/** One model's answer to one call. */
export interface ModelAnswer {
  output: unknown;
  usage: TokenUsage;
  costUsd: number;
  /** The provider's model id as it reported it (e.g. a dated snapshot of the configured id). */
  model: string;
}

/**
 * One wire format (Anthropic Messages, OpenAI Chat Completions). A call either answers, or throws
 * ProviderCallError (`retryable` only while nothing was streamed yet) or AttemptFailedError (an
 * answer that cannot be used, e.g. one that does not match `output_schema`: its cost is kept).
 */
export interface ModelApiClient {
  readonly kind: ModelRuntime;
  call(
    entry: ModelEntry,
    apiKey: string | null,
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
  ): Promise<ModelAnswer>;
}

export type ModelApiClientOptions = StreamLimits;

/** `model 'sonnet' (anthropic endpoint 'anthropic')`: how messages name a call, never a URL. */
export function callLabel(entry: ModelEntry): string {
  return `model '${entry.alias}' (${entry.runtime} endpoint '${entry.endpoint}')`;
}

/** What a stream has told so far; shared by the wire formats to finish a call the same way. */
export class AnswerDraft {
  text: string[] = [];
  usage: TokenUsage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  };
  reportedModel: string | null = null;
  /** Set once any part of the answer streamed: from then on no failure is retryable. */
  outputStarted = false;

  constructor(readonly entry: ModelEntry) {}

  costUsd(): number {
    return costOf(this.entry.price, this.usage);
  }

  model(): string {
    return this.reportedModel ?? this.entry.providerModel;
  }

  /**
   * Rewrites a transport failure once output has streamed: not retryable any more (a chain never
   * switches models mid-answer), and it carries what the tokens so far cost.
   */
  failed(err: unknown): unknown {
    if (!(err instanceof ProviderCallError)) {
      if (err instanceof AttemptFailedError) {
        return new AttemptFailedError(err.message, this.costUsd(), this.usage, 1, this.model(), err.kind);
      }
      return err;
    }
    return new ProviderCallError(
      err.message,
      err.retryable && !this.outputStarted,
      err.retryAfterMs,
      err.overloaded,
      this.costUsd(),
      this.usage,
      this.model(),
    );
  }

  /** A failure of the answer itself (cut off, refused, not JSON): a failed attempt with its cost. */
  fail(message: string): AttemptFailedError {
    return new AttemptFailedError(
      `${callLabel(this.entry)}: ${message}`,
      this.costUsd(),
      this.usage,
      1,
      this.model(),
    );
  }

  /** The answer checked against `output_schema`, or the failure that lists the problems. */
  answer(output: unknown, schema: Record<string, unknown> | null): ModelAnswer {
    if (schema !== null) {
      const check = checkAgainstSchema(schema, output);
      if (!check.ok) {
        throw new AttemptFailedError(
          schemaMismatchMessage(callLabel(this.entry), check.problems),
          this.costUsd(),
          this.usage,
          1,
          this.model(),
        );
      }
    }
    return { output, usage: this.usage, costUsd: this.costUsd(), model: this.model() };
  }
}

/** A non-negative integer token count from a provider's usage object, else 0. */
export function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.min(Math.floor(value), 2_000_000_000)
    : 0;
}

/**
 * Finds the JSON in a free-text answer (servers without `json_schema`): the whole text, or the
 * body of a ```json fence. Undefined when there is none.
 */
export function jsonInText(text: string): unknown {
  const candidates = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next form
    }
  }
  return undefined;
}
