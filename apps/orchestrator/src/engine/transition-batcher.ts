import type { StepResult } from '@sandcastle/contracts';
import type { EntityManager } from 'typeorm';
import type { RunMachine } from './run-machine';
import type { AttemptRecord } from './run-store';

/** What an operation gets besides the machine, inside its batch's transaction. */
export interface OperationTx {
  /**
   * How the operation's `attempt` was recorded before it runs: `new`, `late` (the real result of
   * an attempt declared lost) or null (recorded before: a duplicate). `new` without an attempt.
   */
  recorded: AttemptRecord | null;
  /**
   * The transaction, for the few operations that must read more under the run's lock (a replay
   * reads its parent's rows, approvals their decisions, lost attempts are recorded).
   */
  em: Pick<EntityManager, 'query'>;
}

/** One operation on one run, applied inside a batch transaction by its one hook, `run`. */
export interface RunOperation<T> {
  runId: string;
  kind: string;
  /** A step result, recorded (at most once) before the operation runs. */
  attempt?: StepResult;
  run(machine: RunMachine, tx: OperationTx): T | Promise<T>;
}

/**
 * An operation's outcome: its value, or `found: false` when the run does not exist (or, in a
 * sweep locking with SKIP LOCKED, another transaction is writing it) and nothing ran.
 */
export type OpOutcome<T> = { found: true; value: T } | { found: false };

interface Pending {
  op: RunOperation<unknown>;
  resolve(outcome: OpOutcome<unknown>): void;
  reject(err: unknown): void;
}

/** Applies a batch in one transaction: one outcome per operation, in order. */
export type BatchExecutor = (ops: readonly RunOperation<unknown>[]) => Promise<OpOutcome<unknown>[]>;

/**
 * Group commit for run transitions. Operations queue up while a batch is being written; the next
 * batch takes what queued meanwhile (up to `maxBatch`). At low load an operation goes alone at
 * once; under load one transaction, one round trip per statement and one commit serve many
 * results, which is what keeps the orchestrator's cost per step low.
 *
 * A further batch is written beside one in flight (up to `maxInFlight` at once) only when at
 * least `parallelBacklog` operations wait (by default half a batch): more, smaller transactions cost more CPU per operation than the
 * overlap saves (on the 2-core bench machine, four batches in flight as soon as anything waited
 * gave batches of 7 and 4.2 ms of CPU per chain step; one batch at a time, batches of 20 and 3.1
 * ms). A backlog a batch cannot take, or a batch waiting on a lock, still gets company.
 *
 * A run is never in two batches at once, and its operations keep their arrival order, so the
 * state machine sees a run's messages one after another. When a batch fails, its operations are
 * retried one by one so a single bad operation cannot fail the others.
 */
export class TransitionBatcher {
  private readonly queue: Pending[] = [];
  private readonly busyRuns = new Set<string>();
  private inFlight = 0;

  constructor(
    private readonly execute: BatchExecutor,
    private readonly maxBatch = 64,
    private readonly maxInFlight = 4,
    /** Operations waiting that justify a batch beside one in flight (1: any). */
    private readonly parallelBacklog = Math.max(1, Math.ceil(maxBatch / 2)),
  ) {}

  submit<T>(op: RunOperation<T>): Promise<OpOutcome<T>> {
    return new Promise<OpOutcome<T>>((resolve, reject) => {
      // The executor runs `op` itself: the value it returns is the T of `op.run`.
      this.queue.push({ op, resolve: (outcome) => resolve(outcome as OpOutcome<T>), reject });
      this.pump();
    });
  }

  /** Operations waiting or being written. */
  get pending(): number {
    return this.queue.length + this.busyRuns.size;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      if (this.inFlight > 0 && this.queue.length < this.parallelBacklog) return;
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        for (const p of batch) this.busyRuns.delete(p.op.runId);
        this.pump();
      });
    }
  }

  /** Takes queued operations of runs not already being written, in arrival order. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const blocked = new Set<string>();
    const taken = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.maxBatch;) {
      const p = this.queue[i]!;
      const runId = p.op.runId;
      if (blocked.has(runId) || (this.busyRuns.has(runId) && !taken.has(runId))) {
        blocked.add(runId);
        i++;
        continue;
      }
      batch.push(p);
      taken.add(runId);
      this.queue.splice(i, 1);
    }
    for (const runId of taken) this.busyRuns.add(runId);
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.execute(batch.map((p) => p.op));
      batch.forEach((p, i) => p.resolve(outcomes[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const p of batch) {
        try {
          p.resolve((await this.execute([p.op]))[0]!);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }
}
