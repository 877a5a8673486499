import { Inject, Injectable } from '@nestjs/common';
import {
  emptyUsage,
  jsonBytes,
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  storableResult,
  type AttemptErrorKind,
  type NatsNames,
  type RuntimeKind,
  type StepDispatch,
  type StepResult,
  type StepStarted,
} from '@sandcastle/contracts';
import {
  JetStreamPublisher,
  NATS_NAMES,
  PayloadTooLargeError,
  type OutgoingMessage,
} from '@sandcastle/messaging';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { runtimeEndpointsOf } from '@sandcastle/config';
import {
  InvalidStoragePathError,
  STORAGE,
  StorageUnavailableError,
  type StorageBackend,
} from '@sandcastle/storage';
import { assemblePrompt } from '../storage/prompt-assembler';
import { storeAttempt } from '../storage/attempt-storage';
import { EXECUTOR_CONFIG, type ExecutorConfig } from '../config/executor.config';
import { AttemptFailedError, type AgentRuntime } from '../runtimes/agent-runtime';
import { checkedOutput } from './output-guard.util';
import { selectRuntime, type EndpointTable } from '../runtimes/runtime-selection';
import { AttemptCancelled, AttemptTimeout, ExecutorShutdown } from './attempt-abort.util';
import { isPastDeadline } from './dispatch-deadline.util';
import { ExecutorMetrics } from './executor.metrics';
import { RuntimeRegistry } from './runtime-registry';
import { StoppedRunsRegistry } from './stopped-runs.registry';
import { ModelChainService } from './model-chain.service';
import { ChainFailedError, type ChainAnswer } from '../runtimes/model-api/model-chain-runner';

function isChainAnswer(out: object): out is ChainAnswer {
  return 'tries' in out && Array.isArray((out as { tries?: unknown }).tries);
}

export type RunOutcome = 'reported' | 'handed_back';

type Failure = { error: string; kind: AttemptErrorKind; costUsd: number; model: string | null } & Partial<
  Pick<StepResult, 'usage' | 'numTurns' | 'tries'>
> & { runtime?: RuntimeKind };

/**
 * Runs one attempt: says it started, runs it on the chosen runtime under its timeout, and
 * reports the result. Attempts are registered per run so a cancel signal can abort them.
 */
@Injectable()
export class StepRunnerService {
  private readonly inFlight = new Map<string, Set<AbortController>>();
  /** `${VAR}` in a workflow's sandstorm_url resolves only against the allow-listed variables. */
  private readonly endpoints: EndpointTable = {
    endpoints: runtimeEndpointsOf(this.config),
    allowedEnv: this.config.WORKFLOW_ENV,
  };

  constructor(
    @Inject(EXECUTOR_CONFIG) private readonly config: ExecutorConfig,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly publisher: JetStreamPublisher,
    private readonly runtimes: RuntimeRegistry,
    private readonly metrics: ExecutorMetrics,
    private readonly stoppedRuns: StoppedRunsRegistry,
    private readonly models: ModelChainService,
    @Inject(STORAGE) private readonly storage: StorageBackend,
  ) {}

  /** Aborts every attempt of a run running in this process (run cancelled or failed). */
  abortRun(runId: string, reason: string): number {
    const controllers = this.inFlight.get(runId);
    if (!controllers) return 0;
    for (const c of controllers) c.abort(new AttemptCancelled(reason));
    return controllers.size;
  }

  async run(d: StepDispatch, shutdown: AbortSignal): Promise<RunOutcome> {
    const log = this.logger.child({
      runId: d.runId,
      stepId: d.stepId,
      itemIndex: d.itemIndex,
      attempt: d.attempt,
    });
    const startedAt = new Date();
    const stoppedBecause = this.stoppedRuns.reasonFor(d.runId);
    if (stoppedBecause !== null) {
      // Queued before its run stopped: never call the runtime (no sandbox, no cost).
      log.info('skipped a dispatch of a stopped run', { reason: stoppedBecause });
      this.metrics.refused.inc({ reason: 'run_stopped' });
      await this.report(d, startedAt, d.runtime ?? 'simulated', {
        error: `aborted: ${stoppedBecause} (before the attempt started)`,
        kind: 'aborted',
        costUsd: 0,
        model: null,
      });
      return 'reported';
    }
    if (isPastDeadline(d, startedAt)) {
      // No longer current: the orchestrator presumes it lost at its deadline and retries or
      // fails the step. Never call the runtime. The report, at no cost, is a stale no-op when
      // the orchestrator already swept it, and otherwise fails the attempt as its sweep would
      // (sooner): the refused attempt is never charged.
      log.warn('refused a dispatch past its deadline', { deadlineAt: d.deadlineAt });
      this.metrics.refused.inc({ reason: 'past_deadline' });
      await this.report(d, startedAt, d.runtime ?? 'simulated', {
        error: 'attempt lost: it waited in the queue past its deadline and was not started',
        kind: 'lost',
        costUsd: 0,
        model: null,
      });
      return 'reported';
    }
    const selection = selectRuntime(d, this.endpoints);
    if (selection.kind === 'error') {
      await this.report(d, startedAt, 'simulated', {
        error: selection.message,
        kind: 'runtime_error',
        costUsd: 0,
        model: null,
      });
      return 'reported';
    }
    // `{storage.PATH}` and offloaded outputs of earlier steps are read here, not by the orchestrator.
    const assembled = await assemblePrompt(d, this.storage, this.config.MAX_PROMPT_BYTES);
    if (!assembled.ok) {
      log.warn('attempt failed before it started', { error: assembled.error, errorKind: assembled.kind });
      await this.report(d, startedAt, selection.kind === 'sandstorm' ? 'sandstorm' : 'simulated', {
        error: assembled.error,
        kind: assembled.kind,
        costUsd: 0,
        model: null,
      });
      return 'reported';
    }
    const runtime: AgentRuntime =
      selection.kind === 'sandstorm'
        ? this.runtimes.sandstormRuntime(selection.baseUrl, selection.endpoint)
        : selection.kind === 'models'
          ? this.modelRuntime(d.runtime === 'openai' ? 'openai' : 'anthropic', selection.chain)
          : this.runtimes.simulatedRuntime();
    // Announce the start only for attempts that last: a step done within the delay needs no
    // `running` state, and skipping the message halves the orchestrator's work for fast steps.
    const startedTimer = setTimeout(() => {
      this.publishStarted(d, startedAt, runtime.kind).catch((err: unknown) =>
        log.warn('could not announce the attempt start', { err }),
      );
    }, this.config.STEP_STARTED_DELAY_MS);

    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new AttemptTimeout(d.timeoutSeconds)),
      d.timeoutSeconds * 1000,
    );
    const onShutdown = () => controller.abort(new ExecutorShutdown());
    shutdown.addEventListener('abort', onShutdown);
    this.track(d.runId, controller, true);
    this.metrics.inFlight.inc();
    log.debug('attempt started', {
      runtime: runtime.kind,
      model: d.model,
      ...(selection.kind === 'models' ? { chain: selection.chain } : {}),
    });
    try {
      const out = await runtime.run(
        {
          runId: d.runId,
          stepId: d.stepId,
          itemIndex: d.itemIndex,
          attempt: d.attempt,
          prompt: assembled.prompt,
          model: d.model,
          maxTurns: d.maxTurns,
          timeoutSeconds: d.timeoutSeconds,
          outputSchema: d.outputSchema,
          simulation: d.simulation,
        },
        controller.signal,
        () => undefined,
      );
      // Hostile runtime output is cleaned; an output above MAX_STEP_OUTPUT_BYTES is offloaded to
      // storage below (never inline in a message or a row), one that cannot be stored at all
      // fails the attempt with its cost kept. Nothing above what a runtime may stream is kept.
      const checked = checkedOutput(out, this.config.MAX_RUNTIME_STREAM_BYTES, 'MAX_RUNTIME_STREAM_BYTES');
      if (checked.kind === 'failed') {
        await this.report(d, startedAt, runtime.kind, checked.failure);
        log.warn('attempt failed', {
          runtime: runtime.kind,
          error: checked.failure.error,
          errorKind: checked.failure.kind,
        });
        return 'reported';
      }
      // A model chain answers on the runtime of the model that answered, with every try's cost.
      const answered = isChainAnswer(out) ? out.runtime : runtime.kind;
      if (out.filesDropped) {
        log.warn('runtime files dropped (MAX_RUNTIME_FILE_BYTES or a malformed file event)', {
          dropped: out.filesDropped,
          kept: out.files?.length ?? 0,
        });
      }
      let stored;
      try {
        stored = await storeAttempt(
          d,
          checked.output.output,
          out.files ?? [],
          this.storage,
          this.config.MAX_STEP_OUTPUT_BYTES,
        );
      } catch (err) {
        if (!(err instanceof StorageUnavailableError) && !(err instanceof InvalidStoragePathError)) throw err;
        const { costUsd, model, usage, numTurns } = checked.output;
        await this.report(d, startedAt, answered, {
          error: err.message,
          kind: 'STORAGE_ERROR',
          costUsd,
          model,
          usage,
          numTurns,
        });
        log.warn('attempt failed: its output could not be stored', { err });
        return 'reported';
      }
      await this.publishResult(
        d,
        startedAt,
        answered,
        {
          outcome: 'completed',
          output: stored.output,
          error: null,
          errorKind: null,
          costUsd: checked.output.costUsd,
          usage: checked.output.usage,
          numTurns: checked.output.numTurns,
          model: checked.output.model,
          ...(isChainAnswer(out) ? { tries: out.tries } : {}),
        },
        stored.artifacts,
      );
      this.metrics.cost.inc({ runtime: answered }, checked.output.costUsd);
      log.info('attempt completed', {
        runtime: answered,
        model: checked.output.model,
        costUsd: checked.output.costUsd,
      });
      return 'reported';
    } catch (err) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : null;
      if (reason instanceof ExecutorShutdown) {
        log.warn('attempt handed back: executor shutting down');
        this.metrics.attempts.inc({ runtime: runtime.kind, outcome: 'handed_back' });
        return 'handed_back';
      }
      const failure = this.describeFailure(err, reason);
      await this.report(d, startedAt, failure.runtime ?? runtime.kind, failure);
      log.warn('attempt failed', { runtime: runtime.kind, error: failure.error, errorKind: failure.kind });
      if (!(err instanceof AttemptFailedError) && reason === null)
        log.error('unexpected runtime error', { err });
      return 'reported';
    } finally {
      clearTimeout(startedTimer);
      clearTimeout(timer);
      shutdown.removeEventListener('abort', onShutdown);
      this.track(d.runId, controller, false);
      this.metrics.inFlight.dec();
      this.metrics.attemptDuration.observe(
        { runtime: runtime.kind },
        (Date.now() - startedAt.getTime()) / 1000,
      );
    }
  }

  /** The model chain as an AgentRuntime: it keeps the timeout, cancel and reporting paths shared. */
  private modelRuntime(kind: 'anthropic' | 'openai', chain: string[]): AgentRuntime {
    return { kind, run: (req, signal, onProgress) => this.models.run(chain, req, signal, onProgress, kind) };
  }

  private describeFailure(err: unknown, reason: unknown): Failure {
    if (reason instanceof AttemptTimeout || reason instanceof AttemptCancelled) {
      return {
        error: reason.message,
        kind: reason instanceof AttemptTimeout ? 'timeout' : 'aborted',
        costUsd: 0,
        model: null,
      };
    }
    if (err instanceof ChainFailedError) {
      return {
        error: err.message,
        kind: err.kind,
        costUsd: err.costUsd,
        model: err.model,
        usage: err.usage,
        numTurns: err.numTurns,
        tries: err.tries,
        ...(err.runtime !== null ? { runtime: err.runtime } : {}),
      };
    }
    if (err instanceof AttemptFailedError) {
      return {
        error: err.message,
        kind: err.kind,
        costUsd: err.costUsd,
        model: err.model,
        usage: err.usage,
        numTurns: err.numTurns,
      };
    }
    // An unexpected error's message may quote anything (an address, a body): the run gets a
    // fixed text, the operator's log gets the error (see the caller).
    return {
      error: `the runtime failed unexpectedly (${err instanceof Error ? err.name : typeof err})`,
      kind: 'runtime_error',
      costUsd: 0,
      model: null,
    };
  }

  private async report(d: StepDispatch, startedAt: Date, runtime: RuntimeKind, f: Failure): Promise<void> {
    await this.publishResult(d, startedAt, runtime, {
      outcome: 'failed',
      output: null,
      error: f.error,
      errorKind: f.kind,
      costUsd: f.costUsd,
      usage: f.usage ?? emptyUsage(),
      numTurns: f.numTurns ?? 0,
      model: f.model ?? d.model,
      ...(f.tries !== undefined ? { tries: f.tries } : {}),
    });
    this.metrics.cost.inc({ runtime }, f.costUsd);
  }

  private async publishStarted(d: StepDispatch, startedAt: Date, runtime: RuntimeKind): Promise<void> {
    const msg: StepStarted = {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId: d.tenantId,
      runId: d.runId,
      stepId: d.stepId,
      itemIndex: d.itemIndex,
      attempt: d.attempt,
      startedAt: startedAt.toISOString(),
      executorId: this.config.EXECUTOR_ID,
      runtime,
    };
    // A redelivered dispatch re-announces its start under a new id, so the deadline is refreshed.
    const id = `${messageIds.stepStarted(d.runId, d.stepId, d.itemIndex, d.attempt)}:${startedAt.getTime()}`;
    await this.publisher.publish({ subject: this.names.subjects.stepStarted, msgId: id, payload: msg });
  }

  private async publishResult(
    d: StepDispatch,
    startedAt: Date,
    runtime: RuntimeKind,
    r: Pick<
      StepResult,
      'outcome' | 'output' | 'error' | 'errorKind' | 'costUsd' | 'usage' | 'numTurns' | 'model' | 'tries'
    >,
    artifacts: StepResult['artifacts'] = [],
  ): Promise<void> {
    let result: StepResult = {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId: d.tenantId,
      runId: d.runId,
      stepId: d.stepId,
      itemIndex: d.itemIndex,
      attempt: d.attempt,
      ...storableResult(r),
      runtime,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      executorId: this.config.EXECUTOR_ID,
      ...(artifacts && artifacts.length > 0 ? { artifacts } : {}),
    };
    // Last line: whatever the limits are set to, a result never exceeds the broker's max payload.
    const bytes = jsonBytes(result);
    const max = this.publisher.maxMessageBytes();
    if (bytes > max) {
      result = {
        ...result,
        outcome: 'failed',
        output: null,
        error: `the result would be ${bytes} bytes, above the broker's limit of ${max}`,
        errorKind: 'OUTPUT_TOO_LARGE',
      };
    }
    this.metrics.attempts.inc({ runtime, outcome: r.outcome });
    for (const t of r.tries ?? []) this.metrics.modelTries.inc({ runtime: t.runtime, outcome: t.outcome });
    await this.publishPatiently({
      subject: this.names.subjects.stepResult,
      msgId: messageIds.stepResult(d.runId, d.stepId, d.itemIndex, d.attempt),
      payload: result,
    });
  }

  /** A finished attempt cost time and money: keep trying to report it through a broker blip. */
  private async publishPatiently(message: OutgoingMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.publish(message);
        return;
      } catch (err) {
        // Refused before sending: retrying cannot help.
        if (err instanceof PayloadTooLargeError || attempt >= 12) throw err;
        this.logger.warn('publishing a result failed; retrying', { msgId: message.msgId, attempt, err });
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5000)));
      }
    }
  }

  private track(runId: string, controller: AbortController, add: boolean): void {
    let set = this.inFlight.get(runId);
    if (add) {
      if (!set) this.inFlight.set(runId, (set = new Set()));
      set.add(controller);
    } else if (set) {
      set.delete(controller);
      if (set.size === 0) this.inFlight.delete(runId);
    }
  }
}
