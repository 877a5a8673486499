import type { DataSource, EntityManager } from 'typeorm';
import type { StepResult, StepStarted } from '@sandcastle/contracts';
import type { JetStreamPublisher } from '@sandcastle/messaging';
import type { Logger } from '@sandcastle/observability';
import { KeyedMutex } from './keyed-mutex';
import type { OrchestratorMetrics } from './orchestrator.metrics';
import { RunMachine, type MachineSettings } from './run-machine';
import {
  claimStaleOutbox,
  deleteOutbox,
  insertOutbox,
  loadSteps,
  lockRun,
  recordAttempt,
  runsWithDueRetries,
  runsWithLostAttempts,
  saveRun,
  saveSteps,
  staleQueuedRuns,
  type OutboxRow,
} from './run-store';

export interface EngineSettings extends MachineSettings {
  /** Identifies this orchestrator replica in synthetic (reconciler) results. */
  instanceId: string;
}

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate' | 'unknown-run';

/**
 * The orchestrator's use cases. Each one is a transition: lock the run row, load its steps, let
 * a `RunMachine` decide, persist the changes and the messages to send (outbox) in the same
 * transaction, commit, then publish. Publishing after commit with deterministic message ids,
 * plus the outbox relay for crashes in between, means a message is never lost and a re-run of
 * the same input changes nothing.
 */
export class RunEngine {
  private readonly mutex = new KeyedMutex();
  /** Outbox ids already published, deleted in batches: one statement (and fsync) for many transitions. */
  private published: string[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly publisher: JetStreamPublisher,
    private readonly settings: EngineSettings,
    private readonly logger: Logger,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  /** `cmd.run.start`: a queued run begins. Idempotent: a started run is left alone. */
  async startRun(runId: string): Promise<boolean> {
    const started = await this.transition('start', runId, false, (m) => m.start());
    if (started) this.metrics.runsStarted.inc();
    return started ?? false;
  }

  /** `step.result`: apply one attempt's result, at most once. */
  async applyResult(result: StepResult): Promise<ApplyOutcome> {
    const outcome = await this.transition('result', result.runId, false, async (m, em) => {
      if (!(await recordAttempt(em, result))) return 'duplicate' as const;
      return m.applyResult(result);
    });
    return outcome ?? 'unknown-run';
  }

  /** `step.started`: the attempt is running (refreshes its deadline on a redelivered start). */
  async applyStarted(msg: StepStarted): Promise<boolean> {
    return (await this.transition('started', msg.runId, false, (m) => m.applyStarted(msg))) ?? false;
  }

  /** Reconciler: dispatch retries whose backoff elapsed. */
  async dispatchDueRetries(): Promise<number> {
    let total = 0;
    for (const runId of await runsWithDueRetries(this.db.manager, 200)) {
      total += (await this.transition('retry', runId, true, (m) => m.dispatchDueRetries())) ?? 0;
    }
    return total;
  }

  /** Reconciler: attempts that outlived timeout + grace count as failed attempts. */
  async failLostAttempts(): Promise<number> {
    let total = 0;
    for (const runId of await runsWithLostAttempts(this.db.manager, 200)) {
      total +=
        (await this.transition('lost', runId, true, async (m, em) => {
          let applied = 0;
          for (const lost of m.lostAttempts(this.settings.instanceId)) {
            if (await recordAttempt(em, lost)) {
              this.logger.warn('attempt presumed lost', {
                runId,
                stepId: lost.stepId,
                itemIndex: lost.itemIndex,
                attempt: lost.attempt,
              });
              m.applyResult(lost);
              applied++;
            }
          }
          return applied;
        })) ?? 0;
    }
    this.metrics.lostAttempts.inc(total);
    return total;
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

  private async transition<T>(
    kind: string,
    runId: string,
    skipLocked: boolean,
    apply: (machine: RunMachine, em: EntityManager) => T | Promise<T>,
  ): Promise<T | null> {
    return this.mutex.run(runId, async () => {
      const startedAt = performance.now();
      const committed = await this.db.transaction(async (em) => {
        const run = await lockRun(em, runId, skipLocked);
        if (!run) return null;
        const machine = new RunMachine(run, await loadSteps(em, runId), this.settings);
        const value = await apply(machine, em);
        if (machine.runDirty) await saveRun(em, machine.run);
        await saveSteps(em, run.id, run.tenantId, machine.changedStepRows());
        const outbox = await insertOutbox(em, machine.outbox);
        return { machine, value, outbox };
      });
      if (!committed) return null;
      const { machine, value, outbox } = committed;
      if (machine.abortInFlight) {
        this.publisher.signal(this.settings.names.cancelControl(runId), { runId, reason: machine.run.error });
      }
      await this.flush(outbox);
      this.record(machine);
      this.metrics.transitionDuration.observe({ kind }, (performance.now() - startedAt) / 1000);
      return value;
    });
  }

  /** Publishes a committed transition's messages; on failure the relay publishes them later. */
  private async flush(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.publisher.publishAll(rows);
      await deleteOutbox(
        this.db.manager,
        rows.map((r) => r.id),
      );
    } catch (err) {
      this.logger.warn('publish after commit failed; the outbox relay will retry', {
        err,
        count: rows.length,
      });
    }
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

  private record(machine: RunMachine): void {
    for (const status of machine.finishedSteps) this.metrics.stepsFinished.inc({ status });
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
