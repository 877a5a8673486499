// The reconciler's sweeps on real PostgreSQL and NATS, run by two replicas at the same moment:
// each repair happens, and happens once.
import type { OrchestratorConfig } from '../config/orchestrator.config';
import { completed, EngineFixture, type TestEngine } from '../engine/testing/engine-fixture';
import { resultOf } from '../engine/testing/machine-harness';
import { ReconcilerService } from './reconciler.service';

const ONE_STEP = `
name: One
runtime: simulated
steps:
  - id: only
    prompt: hello
`;

const RETRYING = `
name: Retrying
runtime: simulated
steps:
  - id: flaky
    prompt: hello
    retry:
      max_attempts: 3
      backoff: fixed
      base_delay_seconds: 3600
      max_delay_seconds: 3600
`;

describe('ReconcilerService sweeps (two replicas, real PostgreSQL and NATS)', () => {
  const fx = new EngineFixture();
  let replicas: { engine: TestEngine; reconciler: ReconcilerService }[];

  beforeAll(async () => {
    await fx.setUp('rc');
    replicas = [];
    for (const name of ['replica-a', 'replica-b']) {
      const engine = await fx.engine({ instanceId: name }, { replica: name });
      // 1000 ms: every tick runs the once-a-second sweeps too.
      const config = { RECONCILE_INTERVAL_MS: 1000, STALE_QUEUED_RUN_SECONDS: 1 } as OrchestratorConfig;
      const reconciler = new ReconcilerService(engine.engine, config, engine.logger, engine.metrics);
      replicas.push({ engine, reconciler });
    }
  });

  afterAll(async () => {
    await fx.tearDown();
  });

  /** Both replicas tick at once, as two orchestrator processes would. */
  async function tickBoth(): Promise<void> {
    await Promise.all(replicas.map((r) => r.reconciler.tick()));
    for (const r of replicas) await r.engine.engine.settled();
  }

  async function attempts(runId: string): Promise<{ step_id: string; attempt: number; status: string }[]> {
    return fx.db.query(
      `SELECT step_id, attempt, status FROM run_steps WHERE run_id = $1 ORDER BY step_id, attempt`,
      [runId],
    );
  }

  const failures = (r: (typeof replicas)[number]) =>
    r.engine.logger.lines.filter((l) => l.msg.startsWith('reconciler sweep failed'));

  it('starts a queued run whose start command was lost, once', async () => {
    const runId = await fx.insertRun(ONE_STEP);
    await fx.db.query(`UPDATE runs SET created_at = now() - interval '1 minute' WHERE id = $1`, [runId]);

    await tickBoth();

    expect((await fx.runStatus(runId)).status).toBe('running');
    expect(await attempts(runId)).toEqual([{ step_id: 'only', attempt: 1, status: 'queued' }]);
    expect(await fx.queued([runId])).toHaveLength(1);
  });

  it('fails an attempt that outlived its deadline, once, and ends the run', async () => {
    const runId = await fx.insertRun(ONE_STEP);
    expect(await replicas[0]!.engine.engine.startRun(runId)).toBe(true);
    await fx.db.query(`UPDATE run_steps SET deadline_at = now() - interval '1 minute' WHERE run_id = $1`, [
      runId,
    ]);

    await tickBoth();

    const run = await fx.runStatus(runId);
    expect(run.status).toBe('failed');
    expect(await attempts(runId)).toEqual([{ step_id: 'only', attempt: 1, status: 'failed' }]);
    const lostLogs = replicas.flatMap((r) =>
      r.engine.logger.lines.filter((l) => l.msg === 'attempt presumed lost' && l.fields['runId'] === runId),
    );
    expect(lostLogs).toHaveLength(1);
  });

  it('dispatches a retry whose backoff elapsed, once', async () => {
    const runId = await fx.insertRun(RETRYING);
    await replicas[0]!.engine.engine.startRun(runId);
    const [first] = await fx.queued([runId]);
    await replicas[0]!.engine.engine.applyResult(resultOf(first!, 'failed', null, 0.01));
    // The retry waits an hour in the database; nothing is queued meanwhile.
    expect(await fx.queued([runId])).toHaveLength(0);
    await tickBoth();
    expect(await fx.queued([runId])).toHaveLength(0);

    await fx.db.query(
      `UPDATE run_steps SET next_attempt_at = now() - interval '1 second' WHERE run_id = $1`,
      [runId],
    );
    await tickBoth();

    const queued = await fx.queued([runId]);
    expect(queued.map((d) => d.attempt)).toEqual([2]);
    await replicas[1]!.engine.engine.applyResult(completed(queued[0]!, { ok: true }));
    expect((await fx.runStatus(runId)).status).toBe('completed');
  });

  it('applies a cancel request whose command never arrived', async () => {
    const runId = await fx.insertRun(ONE_STEP);
    await replicas[0]!.engine.engine.startRun(runId);
    await fx.db.query(`UPDATE runs SET cancel_requested_at = now() WHERE id = $1`, [runId]);

    await tickBoth();

    expect((await fx.runStatus(runId)).status).toBe('cancelled');
    expect((await attempts(runId)).map((a) => a.status)).not.toContain('queued');
  });

  it('logged no sweep failure on either replica', () => {
    expect(replicas.flatMap(failures)).toEqual([]);
  });
});
