import type { DataSource, EntityManager } from 'typeorm';
import {
  isTerminalRunStatus,
  storableResult,
  UnstorableValueError,
  type StepResult,
  type StepStarted,
} from '@sandcastle/contracts';
import type { JetStreamPublisher } from '@sandcastle/messaging';
import type { Logger } from '@sandcastle/observability';
import type { OrchestratorMetrics } from './orchestrator.metrics';
import { RunMachine, type MachineSettings } from './run-machine';
import {
  attemptKey,
  claimStaleOutbox,
  deleteOutbox,
  loadStepRows,
  lockRunsWithSteps,
  recordAttempts,
  runsWithCancelRequests,
  runsWithDueRetries,
  runsWithLostAttempts,
  saveTransitions,
  staleQueuedRuns,
  type OutboxRow,
} from './run-store';
import { TransitionBatcher, type RunOperation } from './transition-batcher';

export interface EngineSettings extends MachineSettings {
  /** Identifies this orchestrator replica in synthetic (reconciler) results. */
  instanceId: string;
  /** Most operations written in one transaction. */
  maxBatch: number;
  /** Batch transactions written at the same time. */
  maxBatchesInFlight: number;
}

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate' | 'unknown-run';

/** Where a stopped run is recorded so that its queued dispatches are skipped (see StoppedRuns). */
export interface StoppedRunRecorder {
  markStopped(runId: string, reason: string): Promise<void>;
}

/**
 * The orchestrator's use cases. Each is a transition: lock the run row, load its steps, let a
 * `RunMachine` decide, persist the changes and the messages to send (outbox) in the same
 * transaction, commit, then publish. Publishing after commit with deterministic message ids,
 * plus the outbox relay for crashes in between, means a message is never lost and a re-run of
 * the same input changes nothing.
 *
 * Message-driven transitions go through a `TransitionBatcher` (group commit); the reconciler's
 * sweeps lock with SKIP LOCKED and simply pass over runs a batch is writing.
 */
export class RunEngine {
  private readonly batcher: TransitionBatcher;
  /** Outbox ids already published, deleted in batches: one statement for many transitions. */
  private published: string[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly publisher: JetStreamPublisher,
    private readonly settings: EngineSettings,
    private readonly logger: Logger,
    private readonly metrics: OrchestratorMetrics,
    private readonly stoppedRuns: StoppedRunRecorder | null = null,
  ) {
    this.batcher = new TransitionBatcher(
      (ops) => this.transition(ops, false),
      settings.maxBatch,
      settings.maxBatchesInFlight,
    );
  }

  /**
   * `cmd.run.start`: a queued run begins. Idempotent: a started run is left alone. A replay or
   * fork first reads its parent's step rows, to restore what does not run again.
   */
  async startRun(runId: string): Promise<boolean> {
    const started = await this.batcher.submit<boolean>({
      runId,
      kind: 'start',
      apply: (m) => m.start(),
      prepare: async (m, em) => {
        if (m.run.status !== 'queued' || m.run.kind === 'original' || !m.run.parentRunId) return m.start();
        return m.start({ runId: m.run.parentRunId, rows: await loadStepRows(em, m.run.parentRunId) });
      },
    });
    return started ?? false;
  }

  /** `cmd.run.cancel`: stop a run; its in-flight attempts are aborted. */
  async cancelRun(runId: string, reason: string): Promise<'cancelled' | 'finished' | 'unknown-run'> {
    const outcome = await this.batcher.submit<'cancelled' | 'finished'>({
      runId,
      kind: 'cancel',
      apply: (m) => m.cancel(reason),
    });
    return outcome ?? 'unknown-run';
  }

  /** `step.result`: apply one attempt's result, at most once. */
  async applyResult(received: StepResult): Promise<ApplyOutcome> {
    const result = storableForDatabase(received);
    const outcome = await this.batcher.submit<ApplyOutcome>({
      runId: result.runId,
      kind: 'result',
      attempt: result,
      apply: (m, recorded) => (recorded ? m.applyResult(result) : 'duplicate'),
    });
    return outcome ?? 'unknown-run';
  }

  /** `step.started`: the attempt is running (refreshes its deadline on a redelivered start). */
  async applyStarted(msg: StepStarted): Promise<boolean> {
    return (
      (await this.batcher.submit({ runId: msg.runId, kind: 'started', apply: (m) => m.applyStarted(msg) })) ??
      false
    );
  }

  /** Reconciler: dispatch retries whose backoff elapsed. */
  async dispatchDueRetries(): Promise<number> {
    const runIds = await runsWithDueRetries(this.db.manager, 200);
    if (runIds.length === 0) return 0;
    const counts = await this.transition(
      runIds.map((runId) => ({ runId, kind: 'retry', apply: (m: RunMachine) => m.dispatchDueRetries() })),
      true,
    );
    return counts.reduce<number>((sum, n) => sum + ((n as number | null) ?? 0), 0);
  }

  /** Reconciler: attempts that outlived timeout + grace count as failed attempts. */
  async failLostAttempts(): Promise<number> {
    let total = 0;
    for (const runId of await runsWithLostAttempts(this.db.manager, 200)) {
      const [applied] = await this.transition(
        [
          {
            runId,
            kind: 'lost',
            apply: () => 0,
            prepare: async (m: RunMachine, em: EntityManager) => {
              const lost = m.lostAttempts(this.settings.instanceId);
              const recorded = await recordAttempts(em, lost);
              let count = 0;
              for (const result of lost) {
                if (!recorded.has(attemptKey(result))) continue;
                this.logger.warn('attempt presumed lost', {
                  runId,
                  stepId: result.stepId,
                  itemIndex: result.itemIndex,
                  attempt: result.attempt,
                });
                m.applyResult(result);
                count++;
              }
              return count;
            },
          },
        ],
        true,
      );
      total += (applied as number | null) ?? 0;
    }
    this.metrics.lostAttempts.inc(total);
    return total;
  }

  /** Reconciler: apply cancel requests whose command is late or was lost. */
  async applyCancelRequests(): Promise<number> {
    const runIds = await runsWithCancelRequests(this.db.manager, 100);
    if (runIds.length === 0) return 0;
    // The pending request is applied by every transition before its operation; this one has none.
    await this.transition(
      runIds.map((runId) => ({ runId, kind: 'cancel-request', apply: () => null })),
      true,
    );
    return runIds.length;
  }

  /** Reconciler: start queued runs whose start command never arrived. */
  async startStaleQueuedRuns(minAgeMs: number): Promise<number> {
    let total = 0;
    for (const run of await staleQueuedRuns(this.db.manager, minAgeMs, 100)) {
      if (await this.startRun(run.id)) {
        this.logger.warn('started a queued run whose start command was missing', { runId: run.id });
        total++;
      }
    }
    return total;
  }

  /** Reconciler: publish outbox rows left behind by a crash between commit and publish. */
  async relayOutbox(minAgeMs: number): Promise<number> {
    return this.db.transaction(async (em) => {
      const rows = await claimStaleOutbox(em, minAgeMs, 500);
      if (rows.length === 0) return 0;
      await this.publisher.publishAll(rows);
      await deleteOutbox(
        em,
        rows.map((r) => r.id),
      );
      this.logger.info('relayed outbox messages', { count: rows.length });
      return rows.length;
    });
  }

  /**
   * Deletes outbox rows this process has published. Called on a short timer and at shutdown; a
   * row left behind by a crash is published again by the relay and dropped as a duplicate.
   */
  async deletePublished(): Promise<number> {
    if (this.published.length === 0) return 0;
    const ids = this.published;
    this.published = [];
    try {
      await deleteOutbox(this.db.manager, ids);
    } catch (err) {
      this.published.push(...ids);
      throw err;
    }
    return ids.length;
  }

  /**
   * Applies operations (on one or many runs) in one transaction: lock the runs, record the
   * attempts, run the machines, save everything and the outbox in one statement, commit, then
   * publish. Returns each operation's value, or null for a run that does not exist (or, with
   * `skipLocked`, is being written by someone else).
   */
  private async transition(ops: readonly RunOperation<unknown>[], skipLocked: boolean): Promise<unknown[]> {
    const startedAt = performance.now();
    // READ COMMITTED (PostgreSQL's default, stated here because correctness depends on it): each
    // statement sees what committed before it began, so step rows read after the lock are current.
    const { values, machines, outbox } = await this.db.transaction('READ COMMITTED', async (em) => {
      const locked = await lockRunsWithSteps(em, [...new Set(ops.map((o) => o.runId))], skipLocked);
      const attempts = ops.flatMap((o) => (o.attempt && locked.has(o.runId) ? [o.attempt] : []));
      const recorded = await recordAttempts(em, attempts);
      const machines = new Map<string, RunMachine>();
      const values: unknown[] = [];
      for (const op of ops) {
        const state = locked.get(op.runId);
        if (!state) {
          values.push(null);
          continue;
        }
        let machine = machines.get(op.runId);
        if (!machine) {
          machine = new RunMachine(state.run, state.steps, this.settings);
          machines.set(op.runId, machine);
          // A recorded cancel request wins over whatever message comes first (even a start).
          if (machine.run.cancelRequestedAt && !isTerminalRunStatus(machine.run.status)) {
            machine.cancel(machine.run.cancelReason ?? 'Cancelled by user');
          }
        }
        // A result recorded now is new; the same attempt twice in one batch counts once.
        const isNew = op.attempt ? recorded.delete(attemptKey(op.attempt)) : true;
        values.push(op.prepare ? await op.prepare(machine, em) : op.apply(machine, isNew));
      }
      const outbox = await saveTransitions(
        em,
        [...machines.values()].map((m) => ({
          run: m.run,
          runChanged: m.runDirty,
          steps: m.changedStepRows(),
          messages: m.outbox,
          deadLetters: m.deadLetters,
        })),
      );
      return { values, machines, outbox };
    });
    for (const machine of machines.values()) {
      if (machine.abortInFlight) await this.stopInFlight(machine);
    }
    await this.flush(outbox);
    for (const machine of machines.values()) this.record(machine);
    ops.forEach((op, i) => {
      if (op.kind === 'start' && values[i] === true) this.metrics.runsStarted.inc();
    });
    this.metrics.batchSize.observe(ops.length);
    this.metrics.transitionDuration.observe(
      { kind: ops.length === 1 ? ops[0]!.kind : 'batch' },
      (performance.now() - startedAt) / 1000,
    );
    return values;
  }

  /**
   * Aborts a stopped run's attempts: the core-NATS signal reaches attempts running now; the
   * stopped-runs record also stops dispatches still queued, and executors that start later.
   */
  private async stopInFlight(machine: RunMachine): Promise<void> {
    const reason = machine.run.error ?? `run ${machine.run.status}`;
    this.publisher.signal(this.settings.names.cancelControl(machine.run.id), {
      runId: machine.run.id,
      reason,
    });
    try {
      await this.stoppedRuns?.markStopped(machine.run.id, reason);
    } catch (err) {
      this.logger.warn('could not record a stopped run; queued attempts of it may still run', {
        runId: machine.run.id,
        err,
      });
    }
  }

  /** Publishes a committed transition's messages; on failure the relay publishes them later. */
  private async flush(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.publisher.publishAll(rows);
      for (const row of rows) this.published.push(row.id);
    } catch (err) {
      this.logger.warn('publish after commit failed; the outbox relay will retry', {
        err,
        count: rows.length,
      });
    }
  }

  private record(machine: RunMachine): void {
    for (const status of machine.finishedSteps) this.metrics.stepsFinished.inc({ status });
    if (machine.budgetWarning) {
      this.logger.warn('run reached 80% of its budget', {
        runId: machine.run.id,
        totalCostUsd: machine.run.totalCostUsd,
        maxCostUsd: machine.run.maxCostUsd,
      });
    }
    for (const item of machine.deadLetters) {
      this.logger.warn('step sent to the dead letter queue', {
        runId: machine.run.id,
        stepId: item.stepId,
        itemIndex: item.itemIndex === -1 ? null : item.itemIndex,
        error: item.error,
      });
    }
    if (machine.finishedWith) {
      this.metrics.runsFinished.inc({ status: machine.finishedWith });
      const run = machine.run;
      if (run.startedAt && run.completedAt) {
        this.metrics.runDuration.observe((run.completedAt.getTime() - run.startedAt.getTime()) / 1000);
      }
      this.logger.info('run finished', {
        runId: run.id,
        status: run.status,
        totalCostUsd: run.totalCostUsd,
        ...(run.error ? { error: run.error } : {}),
      });
    }
  }
}

/**
 * Second line of defence against hostile runtime output (the executor cleans results first):
 * a result is made storable before it is recorded, so NUL, lone surrogates or a token count
 * above 2^31 can never make its transaction fail again on every redelivery. An output nested
 * too deeply to store turns the attempt into a failure; its cost is kept.
 */
export function storableForDatabase(result: StepResult): StepResult {
  try {
    return storableResult(result);
  } catch (err) {
    if (!(err instanceof UnstorableValueError)) throw err;
    return storableResult({
      ...result,
      outcome: 'failed',
      output: null,
      error: `the output cannot be stored: ${err.message}`,
      errorKind: 'OUTPUT_TOO_LARGE',
    });
  }
}
