import type { StepResult } from '@sandcastle/contracts';
import type { EntityManager } from 'typeorm';
import type { RunMachine } from './run-machine';
import type { AttemptRecord } from './run-store';

/**
 * One operation on one run, applied inside a batch transaction.
 * `attempt` (a step result) is recorded before `apply` runs; `recorded` tells how: `new`, `late`
 * (the real result of an attempt declared lost) or null (recorded before: a duplicate). An
 * operation without an attempt gets `new`.
 */
export interface RunOperation<T> {
  runId: string;
  kind: string;
  attempt?: StepResult;
  apply(machine: RunMachine, recorded: AttemptRecord | null): T;
  /** An operation that must read more inside the transaction (a replay reads its parent). */
  prepare?(machine: RunMachine, em: EntityManager): Promise<T>;
}

interface Pending {
  op: RunOperation<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export type BatchExecutor = (ops: readonly RunOperation<unknown>[]) => Promise<unknown[]>;

/**
 * Group commit for run transitions. Operations queue up while up to `maxInFlight` batches are
 * being written; the next batch takes what queued meanwhile (up to `maxBatch`). At low load an
 * operation goes alone at once; under load one transaction, one round trip per statement and one
 * commit serve many results, which is what keeps the orchestrator's cost per step low.
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
  ) {}

  submit<T>(op: RunOperation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: (v) => resolve(v as T), reject });
      this.pump();
    });
  }

  /** Operations waiting or being written. */
  get pending(): number {
    return this.queue.length + this.busyRuns.size;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
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
      const values = await this.execute(batch.map((p) => p.op));
      batch.forEach((p, i) => p.resolve(values[i]));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const p of batch) {
        try {
          p.resolve((await this.execute([p.op]))[0]);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }
}
