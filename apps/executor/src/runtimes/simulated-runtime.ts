import { DEFAULT_LIMITS } from '@sandcastle/config';
import type { SimulationSettings } from '@sandcastle/contracts';
import {
  AttemptFailedError,
  abortError,
  type AgentRuntime,
  type AttemptOutput,
  type AttemptRequest,
  type RuntimeProgress,
} from './agent-runtime';
import { SeededRandom, hashToUnit } from './seeded-random.util';
import { OutputBudget, simulateText, simulateValue } from './simulated-output.util';

/** Executor-wide defaults; a step's `simulation` settings override them field by field. */
export interface SimulatedRuntimeOptions {
  latencyMs?: number;
  costUsd?: number;
  /** Probability in [0, 1] that an attempt fails. */
  failureRate?: number;
  /** MAX_STEP_OUTPUT_BYTES: generation stops with OutputTooLargeError past it. */
  maxOutputBytes?: number;
}

const CHARS_PER_TOKEN = 4;

/**
 * Resolves after `ms`, or rejects as soon as `signal` aborts. 0 still yields to the event loop
 * once, but through setImmediate: a 0 ms setTimeout waits at least 1 ms, which would make the
 * zero-latency runtime (benchmarks) add a millisecond to every step.
 */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = ms > 0 ? setTimeout(done, ms) : null;
    const immediate = timer === null ? setImmediate(done) : null;
    const onAbort = () => {
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function tokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * A runtime with no network and no model: for demos, tests and benchmarks. Everything it returns
 * is a function of the request, so runs replay identically: the output of (stepId, itemIndex,
 * prompt), and whether an attempt fails of (runId, stepId, itemIndex, attempt) — a failed attempt
 * can therefore succeed on retry. Its outputs say "simulated" so they are never taken for real.
 */
export class SimulatedRuntime implements AgentRuntime {
  readonly kind = 'simulated' as const;
  private readonly defaults: Required<Omit<SimulatedRuntimeOptions, 'maxOutputBytes'>>;
  private readonly maxOutputBytes: number;

  constructor(options: SimulatedRuntimeOptions = {}) {
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_LIMITS.MAX_STEP_OUTPUT_BYTES;
    this.defaults = {
      latencyMs: options.latencyMs ?? 0,
      costUsd: options.costUsd ?? 0,
      failureRate: options.failureRate ?? 0,
    };
  }

  async run(
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
  ): Promise<AttemptOutput> {
    const settings = this.settingsFor(req.simulation);
    onProgress({ kind: 'message', summary: `simulated ${req.model}: working (${settings.latencyMs} ms)` });
    await delay(settings.latencyMs, signal);

    if (hashToUnit('failure', req.runId, req.stepId, req.itemIndex, req.attempt) < settings.failureRate) {
      throw new AttemptFailedError(
        `simulated failure (failure_rate=${settings.failureRate})`,
        0,
        undefined,
        0,
        req.model,
      );
    }

    const rng = new SeededRandom(JSON.stringify(['output', req.stepId, req.itemIndex, req.prompt]));
    const output = req.outputSchema
      ? simulateValue(req.outputSchema, rng, '', 0, new OutputBudget(this.maxOutputBytes))
      : simulateText(req.model, req.prompt);
    const outputText = typeof output === 'string' ? output : JSON.stringify(output);
    return {
      output,
      costUsd: settings.costUsd,
      usage: {
        inputTokens: tokens(req.prompt),
        outputTokens: tokens(outputText),
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
      },
      numTurns: 1,
      model: req.model,
    };
  }

  private settingsFor(
    step: SimulationSettings | null | undefined,
  ): Required<Omit<SimulatedRuntimeOptions, 'maxOutputBytes'>> {
    return {
      latencyMs: Math.max(0, step?.latencyMs ?? this.defaults.latencyMs),
      costUsd: Math.max(0, step?.costUsd ?? this.defaults.costUsd),
      failureRate: Math.min(1, Math.max(0, step?.failureRate ?? this.defaults.failureRate)),
    };
  }
}
