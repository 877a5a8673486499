import type { DataSource, EntityManager } from 'typeorm';
import {
  isTerminalRunStatus,
  storableResult,
  UnstorableValueError,
  type StepResult,
  type StepStarted,
} from '@sandcastle/contracts';
import type { JetStreamPublisher } from '@sandcastle/messaging';
import { traceOf, withLogContext, type Logger } from '@sandcastle/observability';
import type { OrchestratorMetrics } from './orchestrator.metrics';
import {
  applyDecidedApprovals,
  expireApprovals,
  runsWithUnappliedApprovals,
  saveApprovalChanges,
} from './approval-store';
import { RunMachine, type MachineSettings, type RunTransition } from './run-machine';
import {
  attemptKey,
  claimStaleOutbox,
  countSetAsideOutbox,
  outboxBacklog,
  deleteOutbox,
  loadStepRows,
  lockedRuns,
  lockRunsStatement,
  lockTenantSlots,
  notAsked,
  recordAttempts,
  recordAttemptsStatement,
  recordOutboxFailures,
  runsWaitingForSlots,
  runsWaitingForSlotsOf,
  runsWithCancelRequests,
  runsWithDueRetries,
  runsWithLostAttempts,
  saveTransitionsStatement,
  slotUsageOfRunsStatement,
  staleQueuedRuns,
  stepRowsStatement,
  tenantSlotUsage,
  type AttemptRecord,
  type LockedRuns,
  type OutboxFailure,
  type OutboxRow,
  type TenantSlotUsage,
} from './run-store';
import { TransitionSession } from './transition-session';
import type { RunRow } from './run-state';
import { TenantSlots } from './tenant-slots';
import { recordArtifacts, type ArtifactRow } from './artifact-store';
import type { CompletionWriter } from './completion-writer';
import { belongsToTenant } from '@sandcastle/storage';
import { TransitionBatcher, type OpOutcome, type RunOperation } from './transition-batcher';

export interface EngineSettings extends MachineSettings {
  /** Identifies this orchestrator replica in synthetic (reconciler) results. */
  instanceId: string;
  /** Most operations written in one transaction. */
  maxBatch: number;
  /** Batch transactions written at the same time. */
  maxBatchesInFlight: number;
  /** Operations waiting that open a batch beside one in flight (default: half of maxBatch). */
  parallelBacklog?: number;
  /** Attempts a tenant may have queued or running at once, over all its runs (0 or absent: no cap). */
  maxRunningAttemptsPerTenant?: number;
  /** Failed publish tries after which an outbox row is set aside (default 5). */
  outboxMaxAttempts?: number;
}

export const DEFAULT_OUTBOX_MAX_ATTEMPTS = 5;

/** Operation kinds that never queue an attempt: they need no tenant slot. */
const NEVER_DISPATCH = new Set(['started', 'cancel', 'cancel-request']);

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate' | 'unknown-run';

/** Where a stopped run is recorded so that its queued dispatches are skipped (see StoppedRuns). */
export interface StoppedRunRecorder {
  markStopped(runId: string, reason: string): Promise<void>;
}

/**
 * The orchestrator's use cases. Each is a transition: lock the run row, load its steps, open a
 * `RunMachine` on them and run the operation (`RunOperation.run`), then persist what the
 * machine's `effects()` say — changed rows, the messages to send (outbox), dead letters,
 * approvals — in the same transaction, commit, publish, and count its metrics. Publishing after
 * commit with deterministic message ids, plus the outbox relay for crashes in between, means a
 * message is never lost and a re-run of the same input changes nothing. (docs/architecture.md,
 * "Engine structure".)
 *
 * Message-driven transitions go through a `TransitionBatcher` (group commit); the reconciler's
 * sweeps lock with SKIP LOCKED and simply pass over runs a batch is writing.
 */
export class RunEngine {
  private readonly batcher: TransitionBatcher;
  /** Outbox ids already published, deleted in batches: one statement for many transitions. */
  private published: string[] = [];
  private handingOff: Promise<void> | null = null;
  /** Tenants whose freed slots are still to be handed on (see handOffSlots). */
  private readonly handOffTenants = new Set<string>();

  constructor(
    private readonly db: DataSource,
    private readonly publisher: JetStreamPublisher,
    private readonly settings: EngineSettings,
    private readonly logger: Logger,
    private readonly metrics: OrchestratorMetrics,
    private readonly stoppedRuns: StoppedRunRecorder | null = null,
    /** Stores `on_complete.storage_path` before a completion commits (null: no storage, tests). */
    private readonly completions: CompletionWriter | null = null,
  ) {
    this.batcher = new TransitionBatcher(
      (ops) => this.transition(ops, false),
      settings.maxBatch,
      settings.maxBatchesInFlight,
      settings.parallelBacklog,
    );
  }

  /**
   * `cmd.run.start`: a queued run begins. Idempotent: a started run is left alone. A replay or
   * fork first reads its parent's step rows, to restore what does not run again.
   */
  async startRun(runId: string): Promise<boolean> {
    const outcome = await this.batcher.submit<boolean>({
      runId,
      kind: 'start',
      run: async (m, { em }) => {
        const { status, kind, parentRunId } = m.run;
        if (status !== 'queued' || kind === 'original' || !parentRunId) return m.start();
        return m.start({ runId: parentRunId, rows: await loadStepRows(em, parentRunId) });
      },
    });
    return outcome.found && outcome.value;
  }

  /** `cmd.run.cancel`: stop a run; its in-flight attempts are aborted. */
  async cancelRun(runId: string, reason: string): Promise<'cancelled' | 'finished' | 'unknown-run'> {
    const outcome = await this.batcher.submit({ runId, kind: 'cancel', run: (m) => m.cancel(reason) });
    return outcome.found ? outcome.value : 'unknown-run';
  }

  /**
   * `cmd.run.approval` (and the reconciler): apply the run's decided approvals, each exactly once
   * (see approval-store.ts). Returns how many changed the run.
   */
  async applyApprovals(runId: string): Promise<number> {
    const outcome = await this.batcher.submit(approvalsOf(runId));
    return outcome.found ? outcome.value : 0;
  }

  /**
   * Reconciler: decide approvals whose timeout passed (as their `on_timeout` says), then apply
   * every decided approval not applied yet — a lost command or a crash leaves none behind.
   */
  async sweepApprovals(): Promise<number> {
    const expired = await this.db.transaction((em) => expireApprovals(em, 100));
    if (expired.length > 0) this.logger.info('approvals decided by their timeout', { runs: expired.length });
    const runIds = await runsWithUnappliedApprovals(this.db.manager, 100);
    return sum(await this.sweepRuns('approvals', runIds.map(approvalsOf)));
  }

  /** `step.result`: apply one attempt's result, at most once. */
  async applyResult(received: StepResult): Promise<ApplyOutcome> {
    const result = storableForDatabase(received);
    const outcome = await this.batcher.submit<ApplyOutcome>({
      runId: result.runId,
      kind: 'result',
      attempt: result,
      run: (m, { recorded }) => {
        if (recorded === 'new') return m.applyResult(result);
        if (recorded !== 'late') return 'duplicate';
        this.metrics.lateResults.inc();
        this.logger.warn('late result of an attempt declared lost: its cost is counted', {
          runId: result.runId,
          stepId: result.stepId,
          itemIndex: result.itemIndex,
          attempt: result.attempt,
          costUsd: result.costUsd,
        });
        return m.applyLateResult(result);
      },
    });
    return outcome.found ? outcome.value : 'unknown-run';
  }

  /** `step.started`: the attempt is running (refreshes its deadline on a redelivered start). */
  async applyStarted(msg: StepStarted): Promise<boolean> {
    const outcome = await this.batcher.submit({
      runId: msg.runId,
      kind: 'started',
      run: (m) => m.applyStarted(msg),
    });
    return outcome.found && outcome.value;
  }

  /** Reconciler: dispatch retries whose backoff elapsed. */
  async dispatchDueRetries(): Promise<number> {
    const runIds = await runsWithDueRetries(this.db.manager, 200);
    return sum(
      await this.sweepRuns(
        'retries',
        runIds.map((runId) => ({ runId, kind: 'retry', run: (m: RunMachine) => m.dispatchDueRetries() })),
      ),
    );
  }

  /**
   * Reconciler: dispatch attempts waiting for a slot of their tenant's cap, in runs whose
   * tenant has free slots again (freed by another run: a run uses its own freed slots itself).
   */
  async dispatchWaitingAttempts(tenantIds?: readonly string[]): Promise<number> {
    const cap = this.settings.maxRunningAttemptsPerTenant ?? 0;
    const runIds = tenantIds
      ? await runsWaitingForSlotsOf(this.db.manager, tenantIds, cap)
      : await runsWaitingForSlots(this.db.manager, cap, 200);
    return sum(
      await this.sweepRuns(
        'capacity',
        runIds.map((runId) => ({ runId, kind: 'capacity', run: (m: RunMachine) => m.dispatchWaiting() })),
      ),
    );
  }

  /**
   * Runs the capacity sweep for these tenants now, in the background (one at a time; tenants
   * asked for meanwhile go in the next round), so a slot freed by one run goes to another run's
   * waiting attempt without waiting for the next reconciler tick. Only the tenants that freed
   * slots are looked at, each from its oldest waiter on: a tenant with thousands of attempts
   * waiting costs a hand-off as much as a tenant with one.
   */
  private handOffSlots(tenantIds: readonly string[]): void {
    for (const t of tenantIds) this.handOffTenants.add(t);
    if (this.handingOff) return;
    this.handingOff = (async () => {
      while (this.handOffTenants.size > 0) {
        const tenants = [...this.handOffTenants];
        this.handOffTenants.clear();
        try {
          await this.dispatchWaitingOf(tenants);
        } catch (err) {
          this.metrics.reconcilerFailures.inc({ sweep: 'capacity', scope: 'sweep' });
          this.logger.warn('handing free tenant slots on failed; the reconciler retries', { err });
        }
      }
    })().finally(() => (this.handingOff = null));
  }

  /**
   * The hand-off's transitions go through the batcher, not a sweep's own transaction: they join
   * the batch of results being written anyway. A transaction of its own for each hand-off more
   * than doubled the transactions of a tenant at its cap (measured: 1→20→1 fan-outs at a cap of
   * 50 took 244 batches of 12 operations instead of 105 of 22 without a cap).
   */
  private async dispatchWaitingOf(tenantIds: readonly string[]): Promise<void> {
    const cap = this.settings.maxRunningAttemptsPerTenant ?? 0;
    const runIds = await runsWaitingForSlotsOf(this.db.manager, tenantIds, cap);
    const outcomes = await Promise.allSettled(
      runIds.map((runId) =>
        this.batcher.submit({ runId, kind: 'capacity', run: (m: RunMachine) => m.dispatchWaiting() }),
      ),
    );
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') this.runFailed('capacity', runIds[i]!, outcome.reason);
    });
  }

  /** Waits for a background hand-off of free slots (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.handingOff) await this.handingOff;
  }

  /**
   * A sweep's transitions: all in one transaction, and if that fails, run by run, so one
   * poisoned run (a definition the machine cannot handle, a row that cannot be stored) does not
   * hold up the others. Each failing run is logged and counted, and comes back next sweep.
   * Returns the values of the operations that ran: a run that is gone, being written by another
   * transaction (SKIP LOCKED) or failing is left out.
   */
  private async sweepRuns<T>(sweep: string, ops: readonly RunOperation<T>[]): Promise<T[]> {
    if (ops.length === 0) return [];
    let outcomes: OpOutcome<T>[];
    try {
      outcomes = await this.transition(ops, true);
    } catch (batchErr) {
      if (ops.length === 1) {
        this.runFailed(sweep, ops[0]!.runId, batchErr);
        return [];
      }
      outcomes = [];
      for (const op of ops) {
        try {
          outcomes.push(...(await this.transition([op], true)));
        } catch (err) {
          this.runFailed(sweep, op.runId, err);
        }
      }
    }
    return outcomes.flatMap((o) => (o.found ? [o.value] : []));
  }

  private runFailed(sweep: string, runId: string, err: unknown): void {
    this.metrics.reconcilerFailures.inc({ sweep, scope: 'run' });
    this.logger.error('reconciler could not process a run; it is retried next sweep', { sweep, runId, err });
  }

  /** Reconciler: attempts that outlived timeout + grace count as failed attempts. */
  async failLostAttempts(): Promise<number> {
    let total = 0;
    for (const runId of await runsWithLostAttempts(this.db.manager, 200)) {
      const applied = await this.sweepRuns('lost-attempts', [
        {
          runId,
          kind: 'lost',
          run: async (m: RunMachine, { em }) => {
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
      ]);
      total += sum(applied);
    }
    this.metrics.lostAttempts.inc(total);
    return total;
  }

  /** Reconciler: apply cancel requests whose command is late or was lost. */
  async applyCancelRequests(): Promise<number> {
    const runIds = await runsWithCancelRequests(this.db.manager, 100);
    // Opening the run's machine applies its pending request (RunMachine.open): nothing else to do.
    await this.sweepRuns(
      'cancel-requests',
      runIds.map((runId) => ({ runId, kind: 'cancel-request', run: () => null })),
    );
    return runIds.length;
  }

  /** Reconciler: start queued runs whose start command never arrived. */
  async startStaleQueuedRuns(minAgeMs: number): Promise<number> {
    let total = 0;
    for (const run of await staleQueuedRuns(this.db.manager, minAgeMs, 100)) {
      try {
        if (await this.startRun(run.id)) {
          this.logger.warn('started a queued run whose start command was missing', { runId: run.id });
          total++;
        }
      } catch (err) {
        this.runFailed('stale-queued-runs', run.id, err);
      }
    }
    return total;
  }

  /**
   * Reconciler: publish outbox rows left behind by a crash between commit and publish, or whose
   * publish failed. Row by row: a row that fails counts a try (and is set aside after
   * `outboxMaxAttempts`), the others are published and deleted all the same. Returns the number
   * of rows published.
   */
  async relayOutbox(minAgeMs: number): Promise<number> {
    const published = await this.db.transaction(async (em) => {
      const rows = await claimStaleOutbox(em, minAgeMs, 500);
      if (rows.length === 0) return 0;
      const { sent, failed } = await this.deliverAll(rows);
      await deleteOutbox(em, sent);
      await this.recordFailures(em, failed);
      if (sent.length > 0) this.logger.info('relayed outbox messages', { count: sent.length });
      return sent.length;
    });
    this.metrics.outboxSetAside.set(await countSetAsideOutbox(this.db.manager));
    const backlog = await outboxBacklog(this.db.manager);
    this.metrics.outboxPending.set(backlog.rows);
    this.metrics.outboxOldestAge.set(backlog.oldestAgeSeconds);
    return published;
  }

  /** Sends outbox rows one by one (concurrently): which were sent, which failed and why. */
  private async deliverAll(rows: readonly OutboxRow[]): Promise<{ sent: string[]; failed: OutboxFailure[] }> {
    const outcomes = await Promise.allSettled(rows.map((row) => this.deliver(row)));
    const sent: string[] = [];
    const failed: OutboxFailure[] = [];
    outcomes.forEach((outcome, i) => {
      const row = rows[i]!;
      if (outcome.status === 'fulfilled') sent.push(row.id);
      else failed.push({ id: row.id, error: errorText(outcome.reason) });
    });
    if (failed.length > 0) this.metrics.outboxPublishFailures.inc(failed.length);
    return { sent, failed };
  }

  /**
   * One outbox row: a JetStream message (with its deterministic id), or a stopped run's abort:
   * the core-NATS signal reaches attempts running now; the stopped-runs mark also stops
   * dispatches still queued, and executors that start later.
   */
  private async deliver(row: OutboxRow): Promise<void> {
    if (row.kind !== 'stop') {
      await this.publisher.publish(row);
      return;
    }
    const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as {
      runId: string;
      reason: string;
    };
    this.publisher.signal(row.subject, payload);
    await this.stoppedRuns?.markStopped(payload.runId, payload.reason);
  }

  /** Counts failed tries; logs and counts the rows set aside now (operators see them in check:consistency). */
  private async recordFailures(em: Pick<EntityManager, 'query'>, failed: OutboxFailure[]): Promise<void> {
    if (failed.length === 0) return;
    // A broker outage is not poison: tries are counted only while the broker answers, so a NATS
    // restart of any length never sets good messages aside; they simply wait for the relay.
    if (!(await this.publisher.brokerAnswers())) {
      this.logger.warn('outbox messages wait for the broker; not counted as failed tries', {
        count: failed.length,
        error: failed[0]!.error,
      });
      return;
    }
    const setAside = await recordOutboxFailures(
      em,
      failed,
      this.settings.outboxMaxAttempts ?? DEFAULT_OUTBOX_MAX_ATTEMPTS,
    );
    for (const row of setAside) {
      this.metrics.outboxFailed.inc();
      this.logger.error('outbox message set aside after repeated publish failures; it is not retried', row);
    }
    if (setAside.length < failed.length) {
      this.logger.warn('outbox messages failed to publish; the relay retries them', {
        count: failed.length - setAside.length,
        error: failed[0]!.error,
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

  /**
   * Applies operations (on one or many runs) in one transaction: lock the runs, record the
   * attempts, run the machines, save their effects and the outbox in one statement, commit, then
   * publish. Returns each operation's outcome: `found: false` for a run that does not exist (or,
   * with `skipLocked`, is being written by someone else).
   */
  private async transition<T>(
    ops: readonly RunOperation<T>[],
    skipLocked: boolean,
    lockTenantsFirst = false,
  ): Promise<OpOutcome<T>[]> {
    try {
      return await this.transitionOnce(ops, skipLocked, lockTenantsFirst);
    } catch (err) {
      // Other transactions took the tenant's slots meanwhile: again, with the tenants locked first.
      if (err instanceof TenantCapRaceError && !lockTenantsFirst)
        return this.transition(ops, skipLocked, true);
      throw err;
    }
  }

  private async transitionOnce<T>(
    ops: readonly RunOperation<T>[],
    skipLocked: boolean,
    lockTenantsFirst: boolean,
  ): Promise<OpOutcome<T>[]> {
    const startedAt = performance.now();
    const runIds = [...new Set(ops.map((o) => o.runId))];
    // Only transitions that may dispatch need the tenants' slots (a `started` never does).
    const needsSlots =
      (this.settings.maxRunningAttemptsPerTenant ?? 0) > 0 && ops.some((o) => !NEVER_DISPATCH.has(o.kind));
    // The usage can be read in the first round trip unless the tenants must be locked first, or
    // runs may be skipped (a sweep): their waiting attempts must then count as other runs' waiters.
    const usageUpFront = needsSlots && !lockTenantsFirst && !skipLocked;
    const attempts = ops.flatMap((o) => (o.attempt ? [o.attempt] : []));
    // First round trip: BEGIN, the run locks, the step rows (a statement of its own after the
    // locks, DESIGN.md rule 1), the attempts' records (the apply-once gate) and the slot usage.
    const { session, answers } = await TransitionSession.begin(this.db, [
      lockRunsStatement(runIds, skipLocked),
      stepRowsStatement(runIds),
      attempts.length > 0 ? recordAttemptsStatement(attempts) : notAsked(new Map<string, AttemptRecord>()),
      usageUpFront ? slotUsageOfRunsStatement(runIds) : notAsked(null),
    ]);
    const [runs, stepRows, recordedUpFront, usage] = answers;
    let committed: Decided<T>;
    try {
      // Commits: its last statement goes with COMMIT.
      committed = await this.decide(session, ops, {
        locked: lockedRuns(runs, stepRows),
        recorded: recordedUpFront,
        slots: needsSlots ? await this.tenantSlots(session.em, runs, lockTenantsFirst, usage ?? null) : null,
        lockTenantsFirst,
      });
    } catch (err) {
      await session.rollback();
      throw err;
    }
    const { outcomes, transitions, outbox, handOff } = committed;
    await this.flush(outbox);
    // Message-driven transitions hand freed slots on at once; the sweep's own do not (no loop).
    if (handOff.length > 0 && !skipLocked) this.handOffSlots(handOff);
    for (const transition of transitions) {
      const { run } = transition;
      withLogContext({ trace: traceOf(run.traceparent), runId: run.id, stepId: null }, () =>
        this.record(transition),
      );
    }
    ops.forEach((op, i) => {
      const outcome = outcomes[i]!;
      if (op.kind === 'start' && outcome.found && outcome.value === true) this.metrics.runsStarted.inc();
    });
    this.metrics.batchSize.observe(ops.length);
    this.metrics.transitionDuration.observe(
      { kind: ops.length === 1 ? ops[0]!.kind : 'batch' },
      (performance.now() - startedAt) / 1000,
    );
    return outcomes;
  }

  /**
   * The middle and end of a transition, inside its transaction: open each run's machine, apply
   * the operations in order, store what the machines decided (artifacts, the completion's
   * object, approvals), then rows and outbox in one statement sent with COMMIT.
   */
  private async decide<T>(
    session: TransitionSession,
    ops: readonly RunOperation<T>[],
    read: ReadState,
  ): Promise<Decided<T>> {
    const { em } = session;
    const { locked, recorded, slots, lockTenantsFirst } = read;
    const machines = new Map<string, RunMachine>();
    const outcomes: OpOutcome<T>[] = [];
    const artifacts: ArtifactRow[] = [];
    for (const op of ops) {
      const state = locked.get(op.runId);
      if (!state) {
        outcomes.push({ found: false });
        continue;
      }
      let machine = machines.get(op.runId);
      if (!machine) {
        // Opening applies a cancel request recorded on the run, before any operation.
        const slotsOfTenant = slots?.get(state.run.tenantId) ?? null;
        machine = RunMachine.open(state.run, state.steps, this.settings, new Date(), slotsOfTenant);
        machines.set(op.runId, machine);
      }
      // A result recorded now is new (or late); the same attempt twice in one batch counts once.
      let how: 'new' | 'late' | null = 'new';
      if (op.attempt) {
        const key = attemptKey(op.attempt);
        how = recorded.get(key) ?? null;
        recorded.delete(key);
        // What the attempt stored is recorded with its result, once (a duplicate adds nothing).
        const stored = op.attempt.artifacts;
        if (how !== null && stored && stored.length > 0) {
          const run = state.run;
          // Second line of tenant isolation: only keys under the run's own tenant prefix count.
          const own = stored.filter((a) => belongsToTenant(a.key, run.tenantId));
          artifacts.push(...own.map((a) => ({ ...a, runId: run.id, tenantId: run.tenantId })));
        }
      }
      outcomes.push({ found: true, value: await op.run(machine, { recorded: how, em }) });
    }
    if (slots && !lockTenantsFirst) await this.confirmSlots(em, slots);
    await recordArtifacts(em, artifacts);
    const transitions: RunTransition[] = [];
    for (const machine of machines.values()) transitions.push(await this.settle(em, machine));
    // Approvals reference only the run row (which exists): written first, so the save is the
    // last statement and goes with COMMIT in one round trip.
    await saveApprovalChanges(em, transitions);
    const outbox = await session.runAndCommit(
      saveTransitionsStatement(
        transitions.map(({ run, effects }) => ({
          run,
          runChanged: effects.runChanged,
          steps: [...effects.stepChanges],
          messages: [...effects.messages],
          deadLetters: [...effects.deadLetters],
        })),
      ),
    );
    // Slots this batch left free while the tenant has attempts waiting in other runs.
    const handOff = [...(slots?.values() ?? [])].filter((t) => t.freeForOthers).map((t) => t.tenantId);
    return { outcomes, transitions, outbox, handOff };
  }

  /**
   * A machine's effects, once its completion is settled: a run completing with
   * `on_complete.storage_path` commits only once its object is stored; when that fails, the run
   * fails instead (and the effects say so).
   */
  private async settle(em: Pick<EntityManager, 'query'>, machine: RunMachine): Promise<RunTransition> {
    const effects = machine.effects();
    const target = effects.completionWrite;
    if (target === null || this.completions === null) return { run: machine.run, effects };
    const stored = await this.completions.write(em, machine.run, target);
    if (stored.ok) return { run: machine.run, effects };
    machine.completionWriteFailed(stored.reason);
    return { run: machine.run, effects: machine.effects() };
  }

  /**
   * Tenant caps on attempts in flight: locks each tenant of the batch (after the run locks) and
   * reads its usage. Null when there is no cap.
   */
  private async tenantSlots(
    em: Pick<EntityManager, 'query'>,
    runs: readonly RunRow[],
    lockFirst: boolean,
    /** The usage when it was read with the locks (slotUsageOfRunsStatement). */
    readUpFront: TenantSlotUsage | null,
  ): Promise<Map<string, TenantSlots> | null> {
    const cap = this.settings.maxRunningAttemptsPerTenant ?? 0;
    if (cap <= 0 || runs.length === 0) return null;
    const live = runs.filter((run) => !isTerminalRunStatus(run.status));
    const tenants = [...new Set(live.map((run) => run.tenantId))];
    if (tenants.length === 0) return null;
    if (lockFirst) await lockTenantSlots(em, tenants);
    const usage =
      readUpFront ??
      (await tenantSlotUsage(
        em,
        tenants,
        runs.map((run) => run.id),
      ));
    return new Map(
      tenants.map((t) => {
        const u = usage.get(t);
        return [t, new TenantSlots(t, cap, u?.inFlight ?? 0, u?.oldestOtherWaiting ?? null)];
      }),
    );
  }

  /**
   * The optimistic half of the tenant cap. A batch that adds no attempts in flight for a tenant
   * (most do: a result finishes one attempt and dispatches the next) cannot break the cap,
   * whatever runs concurrently, and needs no lock. A batch that adds some takes the tenants'
   * locks now (held to commit) and recounts in a fresh statement: if other transactions took the
   * slots since the first count, it is rolled back and redone with the locks taken first.
   */
  private async confirmSlots(
    em: Pick<EntityManager, 'query'>,
    slots: Map<string, TenantSlots>,
  ): Promise<void> {
    const growing = [...slots.values()].filter((t) => t.added > 0);
    if (growing.length === 0) return;
    const tenants = growing.map((t) => t.tenantId);
    await lockTenantSlots(em, tenants);
    const usage = await tenantSlotUsage(em, tenants, []);
    for (const t of growing) {
      if ((usage.get(t.tenantId)?.inFlight ?? 0) + t.added > t.cap) throw new TenantCapRaceError(t.tenantId);
    }
  }

  /**
   * Publishes a committed transition's messages (and aborts), row by row: the rows sent are
   * deleted in the next cleanup; a row that fails counts a try and is left to the relay, so one
   * bad message never holds back the others of its batch.
   */
  private async flush(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const { sent, failed } = await this.deliverAll(rows);
    this.published.push(...sent);
    if (failed.length === 0) return;
    try {
      await this.recordFailures(this.db.manager, failed);
    } catch (err) {
      this.logger.warn('publish after commit failed; the outbox relay will retry', {
        err,
        count: failed.length,
      });
    }
  }

  /** Counts and logs a committed transition (its metrics, dead letters, and the run's end). */
  private record({ run, effects }: RunTransition): void {
    const counts = effects.metrics;
    for (const status of counts.finishedSteps) this.metrics.stepsFinished.inc({ status });
    if (counts.capacityWaits > 0) this.metrics.capacityWaits.inc(counts.capacityWaits);
    if (counts.retries > 0) this.metrics.stepRetries.inc(counts.retries);
    if (counts.stoppedForBudget) this.metrics.budgetStops.inc();
    if (counts.budgetWarning) {
      this.logger.warn('run reached 80% of its budget', {
        runId: run.id,
        totalCostUsd: run.totalCostUsd,
        maxCostUsd: run.maxCostUsd,
      });
    }
    for (const item of effects.deadLetters) {
      this.logger.warn('step sent to the dead letter queue', {
        runId: run.id,
        stepId: item.stepId,
        itemIndex: item.itemIndex,
        error: item.error,
      });
    }
    if (effects.runEnded) {
      const { status } = effects.runEnded;
      this.metrics.runsFinished.inc({ status });
      const workflow = this.metrics.workflowLabel.of(run.workflowName);
      this.metrics.workflowRunsFinished.inc({ workflow, status });
      if (run.totalCostUsd > 0) this.metrics.workflowCost.inc({ workflow }, run.totalCostUsd);
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

/** The reconciler's and the command's operation: apply the run's decided approvals (approval-store.ts). */
function approvalsOf(runId: string): RunOperation<number> {
  return { runId, kind: 'approval', run: (m, { em }) => applyDecidedApprovals(em, m) };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, n) => total + n, 0);
}

/** A short, single-line description of a publish error (stored in the outbox row and logged). */
function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

/** Other transactions took a tenant's slots while this one decided (see confirmSlots). */
class TenantCapRaceError extends Error {
  constructor(readonly tenantId: string) {
    super(`tenant ${tenantId} reached its cap on attempts in flight concurrently; retrying under its lock`);
    this.name = 'TenantCapRaceError';
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

/** What a transition read in its first round trip, for `decide`. */
interface ReadState {
  locked: LockedRuns;
  /** The attempts recorded now (see recordAttempts); `decide` takes each out as it applies it. */
  recorded: Map<string, AttemptRecord>;
  slots: Map<string, TenantSlots> | null;
  lockTenantsFirst: boolean;
}

/** What a transition decided and stored, for after its commit. */
interface Decided<T> {
  outcomes: OpOutcome<T>[];
  transitions: RunTransition[];
  outbox: OutboxRow[];
  /** Tenants that left slots free while they have attempts waiting in other runs. */
  handOff: string[];
}
