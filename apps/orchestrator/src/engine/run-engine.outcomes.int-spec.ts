// What the engine answers when an operation finds no run to work on (it does not exist, or a sweep
// passes over it because another transaction is writing it), and that any transition applies a
// cancel request recorded on the run: real PostgreSQL and NATS.
import { randomUUID } from 'node:crypto';
import { resultOf } from './testing/machine-harness';
import { EngineFixture, type TestEngine } from './testing/engine-fixture';

const RETRYING = `
name: Retrying
runtime: simulated
steps:
  - id: flaky
    prompt: "try"
    retry: { max_attempts: 2, backoff: fixed, base_delay_seconds: 60 }
`;

describe('RunEngine outcomes (real PostgreSQL and NATS)', () => {
  const f = new EngineFixture();
  let t: TestEngine;

  beforeAll(async () => {
    await f.setUp('oc');
    t = await f.engine();
  });
  afterAll(() => f.tearDown());

  it('says so for every operation on a run that does not exist', async () => {
    const ghost = randomUUID();
    expect(await t.engine.startRun(ghost)).toBe(false);
    expect(await t.engine.cancelRun(ghost, 'stop')).toBe('unknown-run');
    expect(await t.engine.applyApprovals(ghost)).toBe(0);
    expect(
      await t.engine.applyStarted({
        v: 1,
        tenantId: 'default',
        runId: ghost,
        stepId: 'x',
        itemIndex: null,
        attempt: 1,
        executorId: 'ex-1',
        runtime: 'simulated',
        startedAt: new Date().toISOString(),
      }),
    ).toBe(false);
  });

  it('passes over a run another transaction is writing, and counts only the runs it changed', async () => {
    const runId = await f.insertRun(RETRYING);
    expect(await t.engine.startRun(runId)).toBe(true);
    const [first] = await f.queued([runId]);
    expect(await t.engine.applyResult(resultOf(first!, 'failed'))).toBe('applied');
    await f.db.query(`UPDATE run_steps SET next_attempt_at = now() - interval '1 second' WHERE run_id = $1`, [
      runId,
    ]);

    const holder = await f.holdRunLock(runId);
    try {
      expect(await t.engine.dispatchDueRetries()).toBe(0);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await f.queued([runId])).toEqual([]);

    expect(await t.engine.dispatchDueRetries()).toBe(1);
    expect((await f.queued([runId])).map((d) => d.attempt)).toEqual([2]);
  });

  it('applies a recorded cancel request in whatever transition opens the run next', async () => {
    const runId = await f.insertRun(RETRYING);
    await t.engine.startRun(runId);
    const [attempt] = await f.queued([runId]);
    await f.db.query(
      `UPDATE runs SET cancel_requested_at = now(), cancel_reason = 'no longer needed' WHERE id = $1`,
      [runId],
    );

    // An executor reports the attempt started: the run opens, the request is applied first.
    const { tenantId, stepId, itemIndex, attempt: number } = attempt!;
    const started = await t.engine.applyStarted({
      v: 1,
      tenantId,
      runId,
      stepId,
      itemIndex,
      attempt: number,
      executorId: 'ex-1',
      runtime: 'simulated',
      startedAt: new Date().toISOString(),
    });
    expect(started).toBe(false);
    expect(await f.runStatus(runId)).toMatchObject({ status: 'cancelled', error: 'no longer needed' });
    expect(await f.queued([runId])).toEqual([]);
    const finished = await t.metrics.runsFinished.get();
    expect(finished.values.find((v) => v.labels['status'] === 'cancelled')?.value).toBe(1);
  });
});
