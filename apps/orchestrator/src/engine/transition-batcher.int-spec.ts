// The transition batcher against real PostgreSQL: a batch is one transaction, as in the engine.
// Checks what the engine relies on: a failing batch rolls back and falls back to one transaction
// per operation (only the bad one fails, the others commit exactly once), a run's operations are
// applied in arrival order and never in two concurrent batches, and under load operations share
// transactions.
import { createTestDatabase, type TestDatabase } from '@sandcastle/persistence/testing';
import type { EntityManager } from 'typeorm';
import { TransitionBatcher, type OpOutcome, type RunOperation } from './transition-batcher';

interface Append {
  runId: string;
  seq: number;
  /** Makes the statement fail inside the transaction (a constraint violation). */
  poison?: boolean;
}

describe('TransitionBatcher on PostgreSQL', () => {
  let database: TestDatabase;
  const batchSizes: number[] = [];
  let concurrentPerRun = 0;
  const runsInFlight = new Map<string, number>();

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.dataSource.query(
      `CREATE TABLE batcher_probe (
         id bigserial PRIMARY KEY,
         run_id text NOT NULL,
         seq integer NOT NULL CHECK (seq >= 0),
         UNIQUE (run_id, seq)
       )`,
    );
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    batchSizes.length = 0;
    concurrentPerRun = 0;
    runsInFlight.clear();
    await database.dataSource.query('TRUNCATE batcher_probe');
  });

  /** One transaction per batch; each operation inserts its row, as the engine writes its rows. */
  const execute = async (ops: readonly RunOperation<unknown>[]): Promise<OpOutcome<unknown>[]> => {
    batchSizes.push(ops.length);
    const runs = new Set(ops.map((op) => op.runId));
    for (const runId of runs) {
      const now = (runsInFlight.get(runId) ?? 0) + 1;
      runsInFlight.set(runId, now);
      concurrentPerRun = Math.max(concurrentPerRun, now);
    }
    try {
      return await database.dataSource.transaction(async (em: EntityManager) => {
        const outcomes: OpOutcome<unknown>[] = [];
        for (const op of ops) {
          const append = (op as RunOperation<unknown> & { append: Append }).append;
          // A held lock makes concurrent batches overlap in time, as real transitions do.
          await em.query('SELECT pg_sleep(0.005)');
          await em.query('INSERT INTO batcher_probe (run_id, seq) VALUES ($1, $2)', [
            append.runId,
            append.poison ? -1 : append.seq,
          ]);
          outcomes.push({ found: true, value: `${append.runId}#${append.seq}` });
        }
        return outcomes;
      });
    } finally {
      for (const runId of runs) runsInFlight.set(runId, (runsInFlight.get(runId) ?? 1) - 1);
    }
  };

  const op = (append: Append): RunOperation<string> & { append: Append } => ({
    runId: append.runId,
    kind: 'probe',
    append,
    run: () => {
      throw new Error('the probe executor never runs the operation');
    },
  });

  async function rows(): Promise<{ run_id: string; seq: number }[]> {
    return database.dataSource.query('SELECT run_id, seq FROM batcher_probe ORDER BY id');
  }

  it('rolls a failing batch back and retries its operations one by one: only the bad one fails', async () => {
    // maxInFlight 1 and a slow first operation: everything else queues into one second batch.
    const batcher = new TransitionBatcher(execute, 64, 1);
    const first = batcher.submit(op({ runId: 'warmup', seq: 0 }));
    const rest = [
      batcher.submit(op({ runId: 'a', seq: 1 })),
      batcher.submit(op({ runId: 'b', seq: 1, poison: true })),
      batcher.submit(op({ runId: 'c', seq: 1 })),
    ];
    await first;
    const settled = await Promise.allSettled(rest);

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Each operation that went through gets its own outcome back, whichever transaction wrote it.
    expect((settled[0] as PromiseFulfilledResult<unknown>).value).toEqual({ found: true, value: 'a#1' });
    expect((settled[2] as PromiseFulfilledResult<unknown>).value).toEqual({ found: true, value: 'c#1' });
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({
      message: expect.stringContaining('batcher_probe_seq_check'),
    });
    // The batch of three failed as a whole, then each went alone.
    expect(batchSizes).toEqual([1, 3, 1, 1, 1]);
    // Nothing of the failed batch survived its rollback: a and c are there exactly once.
    expect(await rows()).toEqual([
      { run_id: 'warmup', seq: 0 },
      { run_id: 'a', seq: 1 },
      { run_id: 'c', seq: 1 },
    ]);
  });

  it("applies a run's operations in arrival order, never in two batches at once, and groups under load", async () => {
    const batcher = new TransitionBatcher(execute, 16, 4);
    const runIds = Array.from({ length: 12 }, (_, i) => `run-${i}`);
    const submitted: Promise<unknown>[] = [];
    for (let seq = 0; seq < 10; seq++) {
      for (const runId of runIds) submitted.push(batcher.submit(op({ runId, seq })));
    }
    await Promise.all(submitted);

    const written = await rows();
    expect(written).toHaveLength(runIds.length * 10);
    for (const runId of runIds) {
      const order = written.filter((r) => r.run_id === runId).map((r) => r.seq);
      expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(concurrentPerRun).toBe(1);
    // 120 operations, at most 4 batches in flight: they must have shared transactions.
    expect(batchSizes.length).toBeLessThan(120);
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(batcher.pending).toBe(0);
  });
});
