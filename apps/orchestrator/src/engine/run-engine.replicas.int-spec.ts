import { EngineFixture } from './testing/engine-fixture';
import type { RunEngine } from './run-engine';
import { lockRunsWithSteps, saveTransitions, StaleStepWriteError } from './run-store';
import { resultOf } from './testing/machine-harness';

const FAN_OUT = `
name: Fan
runtime: simulated
steps:
  - id: list
    prompt: list
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output
    prompt: "item {input._item}"
  - id: join
    depends_on: [each]
    prompt: "join {steps.each.output}"
`;

/**
 * Two orchestrator replicas on one run, on separate connection pools, against the real
 * PostgreSQL and NATS. The interleavings that lost updates are forced deterministically: a third
 * connection holds the run's row lock until both replicas' transitions are waiting for it.
 */
describe('two RunEngines (orchestrator replicas) on the same run', () => {
  const f = new EngineFixture();
  let replicas: RunEngine[];

  beforeAll(async () => {
    await f.setUp('rp');
    replicas = [
      (await f.engine({}, { replica: 'orchestrator-a' })).engine,
      (await f.engine({}, { replica: 'orchestrator-b' })).engine,
    ];
  });

  afterAll(() => f.tearDown());

  /** The attempts a run has queued now (as an executor would take them). */
  const queuedOf = (runId: string) => f.queued([runId]);

  /**
   * Waits until `count` replica sessions are blocked on a lock. (Not pg_blocking_pids of the
   * holder: the second waiter for a row queues behind the first waiter's tuple lock.)
   */
  async function waitForWaiters(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ n }] = await f.db.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'orchestrator-%'
            AND wait_event_type = 'Lock'`,
      );
      if (n >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${n} of ${count} transitions waited for the lock`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('closes a fan-out when its last two items are applied by two replicas that both waited for the lock', async () => {
    const runId = await f.insertRun(FAN_OUT);
    await replicas[0]!.startRun(runId);
    const [list] = await queuedOf(runId);
    expect(await replicas[0]!.applyResult(resultOf(list!, 'completed', ['a', 'b']))).toBe('applied');
    const items = await queuedOf(runId);
    expect(items).toHaveLength(2);

    // Both replicas start their transition while the run is locked, so both statements begin
    // before either item is completed. Each must still see the other's item once it gets the lock.
    const holder = await f.holdRunLock(runId);
    const applied = items.map((item, i) =>
      replicas[i]!.applyResult(resultOf(item, 'completed', `out-${item.itemIndex}`)),
    );
    await waitForWaiters(2);
    await holder.rollbackTransaction();
    await holder.release();
    expect(await Promise.all(applied)).toEqual(['applied', 'applied']);

    const rows = await f.db.query<{ step_id: string; item_index: number; status: string }[]>(
      `SELECT step_id, item_index, status FROM run_steps WHERE run_id = $1 ORDER BY step_id, item_index`,
      [runId],
    );
    expect(rows).toEqual([
      { step_id: 'each', item_index: -1, status: 'completed' },
      { step_id: 'each', item_index: 0, status: 'completed' },
      { step_id: 'each', item_index: 1, status: 'completed' },
      { step_id: 'join', item_index: -1, status: 'queued' },
      { step_id: 'list', item_index: -1, status: 'completed' },
    ]);
    const [join] = await f.db.query<[{ prompt: string }]>(
      `SELECT prompt FROM run_steps WHERE run_id = $1 AND step_id = 'join'`,
      [runId],
    );
    expect(join.prompt).toBe('join ["out-0","out-1"]');
    const [run] = await f.db.query<[{ total_cost_usd: number }]>(
      `SELECT total_cost_usd FROM runs WHERE id = $1`,
      [runId],
    );
    expect(run.total_cost_usd).toBeCloseTo(0.03, 6);
  });

  it('never lets a late `started` move a finished attempt back to running', async () => {
    const runId = await f.insertRun(FAN_OUT);
    await replicas[0]!.startRun(runId);
    const [list] = await queuedOf(runId);
    const holder = await f.holdRunLock(runId);
    // The result and the (later-arriving, older) start announcement race on two replicas.
    const result = replicas[0]!.applyResult(resultOf(list!, 'completed', ['x']));
    await waitForWaiters(1);
    const started = replicas[1]!.applyStarted({
      v: 1,
      tenantId: 'default',
      runId,
      stepId: 'list',
      itemIndex: null,
      attempt: 1,
      executorId: 'executor-x',
      runtime: 'simulated',
      startedAt: new Date().toISOString(),
    });
    await waitForWaiters(2);
    await holder.rollbackTransaction();
    await holder.release();
    await Promise.all([result, started]);
    const [row] = await f.db.query<[{ status: string; output: unknown }]>(
      `SELECT status, output FROM run_steps WHERE run_id = $1 AND step_id = 'list'`,
      [runId],
    );
    expect(row).toEqual({ status: 'completed', output: ['x'] });
  });

  it('refuses, and rolls back, a step write built on a stale read', async () => {
    const runId = await f.insertRun(FAN_OUT);
    await replicas[0]!.startRun(runId);
    const stale = await f.db.transaction((em) => lockRunsWithSteps(em, [runId]));
    const state = stale.get(runId)!;
    // Someone else writes the run in between (as a replica holding the lock would).
    await f.db.query(
      `UPDATE run_steps SET status = 'running', row_version = row_version + 1 WHERE run_id = $1 AND step_id = 'list'`,
      [runId],
    );
    const list = state.steps.find((s) => s.stepId === 'list')!;
    list.status = 'cancelled';
    await expect(
      f.db.transaction('READ COMMITTED', (em) =>
        saveTransitions(em, [
          {
            run: { ...state.run, status: 'cancelled' },
            runChanged: true,
            steps: [list],
            messages: [
              {
                subject: f.names.subjects.stepDispatch,
                msgId: `m:${runId}`,
                payload: { v: 1 },
                kind: 'stream',
              },
            ],
            deadLetters: [],
          },
        ]),
      ),
    ).rejects.toBeInstanceOf(StaleStepWriteError);
    const [run] = await f.db.query<[{ status: string }]>(`SELECT status FROM runs WHERE id = $1`, [runId]);
    expect(run.status).toBe('running');
    const [row] = await f.db.query<[{ status: string }]>(
      `SELECT status FROM run_steps WHERE run_id = $1 AND step_id = 'list'`,
      [runId],
    );
    expect(row.status).toBe('running');
    const [{ n }] = await f.db.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM outbox WHERE msg_id = $1`,
      [`m:${runId}`],
    );
    expect(n).toBe(0);
  });
});
