import type { ModelEntry, ModelRegistry, ModelRuntime } from '@sandcastle/config';
import { emptyUsage, MAX_MODEL_TRIES, type ModelTry, type TokenUsage } from '@sandcastle/contracts';
import {
  abortError,
  AttemptFailedError,
  type AttemptOutput,
  type AttemptRequest,
  type RuntimeProgress,
} from '../agent-runtime';
import type { ModelApiClient } from './model-api-client';
import type { ModelCooldowns } from './model-cooldowns';
import { ProviderCallError } from './provider-call-error';

export interface ChainSettings {
  /** MODEL_COOLDOWN_SECONDS in ms: a rest after an overload that came without `retry-after`. */
  defaultCooldownMs: number;
  /** MODEL_API_RETRIES: rounds through the chain after every model failed retryably. */
  retries: number;
}

export interface ChainAnswer extends AttemptOutput {
  runtime: ModelRuntime;
  tries: ModelTry[];
}

/** Every model of the chain failed (or the one that answered produced an unusable answer). */
export class ChainFailedError extends AttemptFailedError {
  constructor(
    message: string,
    costUsd: number,
    usage: TokenUsage,
    model: string | null,
    readonly runtime: ModelRuntime | null,
    readonly tries: ModelTry[],
    kind: AttemptFailedError['kind'] = 'runtime_error',
  ) {
    super(message, costUsd, usage, 0, model, kind);
    this.name = 'ChainFailedError';
  }
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Accumulates what one attempt tried and spent across the chain. */
class TryLog {
  /** @param stepRuntime the step's runtime: what a try of a model missing from the registry is recorded as. */
  constructor(private readonly stepRuntime: ModelRuntime) {}

  tries: ModelTry[] = [];
  costUsd = 0;
  usage: TokenUsage = emptyUsage();
  lastError: string | null = null;
  lastRuntime: ModelRuntime | null = null;
  lastModel: string | null = null;

  add(
    entry: ModelEntry | null,
    alias: string,
    runtime: ModelRuntime | null,
    outcome: ModelTry['outcome'],
    error: string | null,
    costUsd = 0,
    usage?: TokenUsage,
  ): void {
    this.costUsd += costUsd;
    if (usage) this.usage = addUsage(this.usage, usage);
    if (error !== null) this.lastError = error;
    if (runtime !== null) this.lastRuntime = runtime;
    if (entry !== null) this.lastModel = entry.providerModel;
    // Beyond the cap the sum still counts every try; only the list stops growing.
    if (this.tries.length < MAX_MODEL_TRIES) {
      this.tries.push({ model: alias, runtime: runtime ?? this.stepRuntime, outcome, error, costUsd });
    }
  }

  failure(message: string, kind: AttemptFailedError['kind'] = 'runtime_error'): ChainFailedError {
    return new ChainFailedError(
      message,
      this.costUsd,
      this.usage,
      this.lastModel,
      this.lastRuntime,
      this.tries,
      kind,
    );
  }
}

/**
 * Runs one attempt over a step's model chain (docs/runtimes.md#fallback-chains). Models are tried
 * in order; one is skipped when its key is not configured or it is cooling down after a recent
 * 429/overload (the cooldown is shared by all executors). A retryable failure before any output
 * moves to the next model; once output streamed, the call's outcome is the attempt's (never a
 * switch mid-answer). When every model failed retryably, the chain is tried again after the
 * shortest `retry-after`, up to `retries` more rounds, as long as the wait fits in the attempt's
 * timeout. Every try is recorded with its cost.
 */
export class ModelChainRunner {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly keys: ReadonlyMap<string, string>,
    private readonly clients: ReadonlyMap<ModelRuntime, ModelApiClient>,
    private readonly cooldowns: ModelCooldowns,
    private readonly settings: ChainSettings,
  ) {}

  async run(
    chain: readonly string[],
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
    stepRuntime: ModelRuntime = 'anthropic',
  ): Promise<ChainAnswer> {
    const log = new TryLog(stepRuntime);
    const deadline = Date.now() + req.timeoutSeconds * 1000;
    for (let round = 0; ; round++) {
      let nextChance = Number.POSITIVE_INFINITY;
      let called = 0;
      for (const alias of chain) {
        if (signal.aborted) throw abortError(signal);
        const entry = this.registry.models.get(alias) ?? null;
        if (entry === null) {
          // Saved when the registry had it; the operator's configuration changed since.
          if (round === 0)
            log.add(null, alias, null, 'failed', `model '${alias}' is not in the model registry`);
          continue;
        }
        const key = entry.keyVariable === null ? null : (this.keys.get(entry.keyVariable) ?? null);
        if (entry.keyVariable !== null && key === null) {
          if (round === 0) {
            log.add(
              entry,
              alias,
              entry.runtime,
              'failed',
              `model '${alias}' skipped: ${entry.keyVariable} is not configured`,
            );
          }
          continue;
        }
        const restsUntil = await this.cooldowns.until(alias);
        if (restsUntil !== null && restsUntil > Date.now()) {
          nextChance = Math.min(nextChance, restsUntil);
          log.add(
            entry,
            alias,
            entry.runtime,
            'failed',
            `model '${alias}' skipped: cooling down after a recent 429/overload`,
          );
          continue;
        }
        called++;
        const client = this.clients.get(entry.runtime);
        if (client === undefined) throw new Error(`no client for runtime ${entry.runtime}`);
        try {
          const answer = await client.call(entry, key, req, signal, onProgress);
          log.add(entry, alias, entry.runtime, 'completed', null, answer.costUsd, answer.usage);
          return {
            output: answer.output,
            costUsd: log.costUsd,
            usage: log.usage,
            numTurns: 1,
            model: answer.model,
            runtime: entry.runtime,
            tries: log.tries,
          };
        } catch (err) {
          if (signal.aborted) throw abortError(signal);
          if (!(err instanceof AttemptFailedError)) throw err;
          log.add(entry, alias, entry.runtime, 'failed', err.message, err.costUsd, err.usage);
          if (!(err instanceof ProviderCallError) || !err.retryable) throw log.failure(err.message, err.kind);
          const rest = err.retryAfterMs ?? (err.overloaded ? this.settings.defaultCooldownMs : null);
          if (err.overloaded) await this.cooldowns.coolDown(alias, Date.now() + (rest ?? 0));
          // A 5xx without retry-after: try again after a short backoff.
          nextChance = Math.min(nextChance, Date.now() + (rest ?? 1000 * 2 ** round));
        }
      }
      const summary = this.summary(chain, log);
      if (called === 0 && nextChance === Number.POSITIVE_INFINITY) {
        throw log.failure(`no model of the chain can be called: ${summary}`);
      }
      if (round >= this.settings.retries) throw log.failure(`every model of the chain failed: ${summary}`);
      const wait = Math.max(0, nextChance - Date.now());
      if (Date.now() + wait >= deadline) {
        throw log.failure(
          `every model of the chain failed and the next chance is past the step's timeout: ${summary}`,
        );
      }
      await sleep(wait, signal);
    }
  }

  private summary(chain: readonly string[], log: TryLog): string {
    return chain.length === 1
      ? (log.lastError ?? 'no answer')
      : `${chain.join(' → ')} (last: ${log.lastError ?? 'no answer'})`;
  }
}
