// A transition's first round trip (BEGIN, locks, step rows… sent together on a pipelined
// connection) against real PostgreSQL: the rules of DESIGN.md hold as if sent one by one.
import { Socket } from 'node:net';
import { createDataSource } from '@sandcastle/persistence';
import type { DataSource } from 'typeorm';
import { lockRunsStatement, stepRowsStatement, type Statement } from './run-store';
import { EngineFixture } from './testing/engine-fixture';
import { TransitionSession } from './transition-session';

const ONE_STEP = `
name: One
runtime: simulated
steps:
  - id: only
    prompt: "hi"
`;

describe('TransitionSession (real PostgreSQL)', () => {
  const f = new EngineFixture();
  let sequential: DataSource;

  beforeAll(async () => {
    await f.setUp('ts');
    sequential = await createDataSource(f.url, { poolSize: 2, applicationName: 'sequential' }).initialize();
  });
  afterAll(async () => {
    await sequential.destroy();
    await f.tearDown();
  });

  it.each([
    ['pipelined', () => f.db],
    ['one by one', () => sequential],
  ])('reads the step rows committed by the transaction it waited for (%s)', async (_mode, db) => {
    const runId = await f.insertRun(ONE_STEP);
    const holder = await f.holdRunLock(runId);
    const opening = TransitionSession.begin(db(), [
      lockRunsStatement([runId], false),
      stepRowsStatement([runId]),
    ]);
    // The other transaction writes a step row while this one waits for the lock.
    await new Promise((r) => setTimeout(r, 150));
    await holder.query(
      `INSERT INTO run_steps (run_id, tenant_id, step_id, status) VALUES ($1, 'default', 'only', 'queued')`,
      [runId],
    );
    await holder.commitTransaction();
    await holder.release();
    const { session, answers } = await opening;
    await session.commit();
    const [runs, steps] = answers;
    expect(runs.map((r) => r.id)).toEqual([runId]);
    // Read after the lock was granted: the row the lock holder committed is there.
    expect(steps.get(runId)?.map((s) => [s.stepId, s.status])).toEqual([['only', 'queued']]);
  });

  it('reports the statement that failed, rolls back and releases the locks and the connection', async () => {
    const runId = await f.insertRun(ONE_STEP);
    const failing: Statement<null> = { sql: 'SELECT 1 / 0', params: [], read: () => null };
    await expect(
      TransitionSession.begin(f.db, [lockRunsStatement([runId], false), failing, stepRowsStatement([runId])]),
    ).rejects.toThrow(/division by zero/);
    // The lock is free again: a transaction that skips locked rows still finds the run.
    const { session, answers } = await TransitionSession.begin(f.db, [lockRunsStatement([runId], true)]);
    expect(answers[0].map((r) => r.id)).toEqual([runId]);
    await session.rollback();
    // No connection was kept: the pool still has every one of them idle.
    const open = await f.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    expect(open[0]!.n).toBe(0);
  });

  it('sends a pipelined opening and a pipelined end each in one socket write', async () => {
    const runId = await f.insertRun(ONE_STEP);
    // A connection already open in the pool: no start-up messages while counting.
    await (await TransitionSession.begin(f.db, [])).session.rollback();
    const writes = [jest.spyOn(Socket.prototype, '_write'), jest.spyOn(Socket.prototype, '_writev')];
    const count = () => writes.reduce((n, spy) => n + spy.mock.calls.length, 0);
    try {
      // BEGIN, the planner settings, the lock and the step rows: four statements, one write.
      const { session } = await TransitionSession.begin(f.db, [
        lockRunsStatement([runId], false),
        stepRowsStatement([runId]),
      ]);
      expect(count()).toBe(1);
      await session.runAndCommit({ sql: 'SELECT 1', params: [], read: () => null });
      expect(count()).toBe(2);
    } finally {
      for (const spy of writes) spy.mockRestore();
    }
  });

  it('commits what was written through its manager', async () => {
    const runId = await f.insertRun(ONE_STEP);
    const { session } = await TransitionSession.begin(f.db, [lockRunsStatement([runId], false)]);
    await session.em.query(`UPDATE runs SET error = 'written' WHERE id = $1`, [runId]);
    await session.commit();
    const [row] = await f.db.query<{ error: string }[]>(`SELECT error FROM runs WHERE id = $1`, [runId]);
    expect(row!.error).toBe('written');
  });

  describe.each([
    ['pipelined', () => f.db],
    ['one by one', () => sequential],
  ])('runAndCommit (%s)', (_mode, db) => {
    const setError = (runId: string, text: string): Statement<string[]> => ({
      sql: `UPDATE runs SET error = $2 WHERE id = $1 RETURNING error`,
      params: [runId, text],
      read: (rows) => rows.map((r) => String(r['error'])),
    });
    const errorOf = async (runId: string) =>
      (await f.db.query<{ error: string | null }[]>(`SELECT error FROM runs WHERE id = $1`, [runId]))[0]!
        .error;

    it('answers the last statement and commits everything with it', async () => {
      const runId = await f.insertRun(ONE_STEP);
      const { session } = await TransitionSession.begin(db(), [lockRunsStatement([runId], false)]);
      await session.em.query(`UPDATE runs SET cancel_reason = 'before' WHERE id = $1`, [runId]);
      await expect(session.runAndCommit(setError(runId, 'last'))).resolves.toEqual(['last']);
      await session.commit(); // a no-op once committed
      expect(await errorOf(runId)).toBe('last');
      const [row] = await f.db.query<{ cancel_reason: string }[]>(
        `SELECT cancel_reason FROM runs WHERE id = $1`,
        [runId],
      );
      expect(row!.cancel_reason).toBe('before');
    });

    it('commits nothing when the last statement fails, throws its error and frees the connection', async () => {
      const runId = await f.insertRun(ONE_STEP);
      const { session } = await TransitionSession.begin(db(), [lockRunsStatement([runId], false)]);
      await session.em.query(`UPDATE runs SET error = 'written before' WHERE id = $1`, [runId]);
      const failing: Statement<null> = { sql: 'SELECT 1 / 0', params: [], read: () => null };
      await expect(session.runAndCommit(failing)).rejects.toThrow(/division by zero/);
      await session.rollback();
      await expect(session.commit()).rejects.toThrow(/rolled back/);
      expect(await errorOf(runId)).toBeNull();
      // The run's lock is free: a transaction skipping locked rows finds it.
      const again = await TransitionSession.begin(f.db, [lockRunsStatement([runId], true)]);
      expect(again.answers[0].map((r) => r.id)).toEqual([runId]);
      await again.session.rollback();
    });
  });
});
