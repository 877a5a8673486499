import type { StepDispatch } from '@sandcastle/contracts';
import { checkConsistency } from '@sandcastle/persistence';
import type { RunEngine } from './run-engine';
import { completed, EngineFixture } from './testing/engine-fixture';
import { chainYaml } from './testing/workflows';

const fanOut = (maxConcurrency: number) => `
name: Fan
runtime: simulated
steps:
  - id: each
    parallel_over: input.items
    max_concurrency: ${maxConcurrency}
    prompt: "item {input._item}"
  - id: join
    depends_on: [each]
    prompt: "join"
`;

const items = (n: number) => Array.from({ length: n }, (_, i) => `i${i}`);

/** Fan-out concurrency and the per-tenant cap, against the real PostgreSQL and NATS. */
describe('RunEngine: bounded fan-outs and fair sharing (real PostgreSQL and NATS)', () => {
  const f = new EngineFixture();

  beforeAll(async () => {
    await f.setUp('fa');
  });

  afterAll(async () => {
    await f.tearDown();
  });

  it('never has more than max_concurrency items of a 50-item fan-out queued or running, and completes it', async () => {
    const { engine } = await f.engine({ maxFanOutConcurrency: 100 });
    const runId = await f.insertRun(fanOut(5), { input: { items: items(50) } });
    await engine.startRun(runId);
    let most = 0;
    let results = 0;
    for (;;) {
      const queued = await f.queued([runId]);
      if (queued.length === 0) break;
      for (const d of queued) {
        await engine.applyResult(completed(d, `out-${d.itemIndex ?? 'join'}`));
        results++;
        const inFlight = await f.inFlight('default', 'each');
        most = Math.max(most, inFlight);
        expect(inFlight).toBeLessThanOrEqual(5);
      }
    }
    expect(most).toBe(5);
    expect(results).toBe(51);
    expect((await f.runStatus(runId)).status).toBe('completed');
    const [run] = await f.db.query<{ outputs: { each: string[] } }[]>(
      `SELECT outputs FROM runs WHERE id = $1`,
      [runId],
    );
    expect(run!.outputs.each).toEqual(items(50).map((_x, i) => `out-${i}`));
    expect((await checkConsistency((sql, p) => f.db.query(sql, p), { runIds: [runId] })).problems).toEqual(
      [],
    );
  });

  it('stops a fan-out at its budget after at most max_concurrency in-flight items, cancelling the rest', async () => {
    const { engine } = await f.engine();
    const signals = f.nc.subscribe(f.names.cancelControl('*'));
    // $0.02 per item, a $0.05 budget: the third result crosses it.
    const runId = await f.insertRun(fanOut(4), { input: { items: items(40) }, maxCostUsd: 0.05 });
    await engine.startRun(runId);
    const dispatched = new Set<string>();
    while ((await f.runStatus(runId)).status === 'running') {
      const [d] = await f.queued([runId]);
      dispatched.add(`${d!.stepId}:${d!.itemIndex}`);
      for (const q of await f.queued([runId])) dispatched.add(`${q.stepId}:${q.itemIndex}`);
      await engine.applyResult(completed(d!, 'x', 0.02));
    }
    expect(await f.runStatus(runId)).toMatchObject({ status: 'budget_exceeded' });
    // 4 in flight at first, one more after each of the two results below the budget.
    expect(dispatched.size).toBeLessThanOrEqual(4 + 2);
    const statuses = await f.db.query<{ status: string; n: number }[]>(
      `SELECT status, count(*)::int AS n FROM run_steps WHERE run_id = $1 AND step_id = 'each' AND item_index >= 0
        GROUP BY status ORDER BY status`,
      [runId],
    );
    expect(statuses).toEqual([
      { status: 'cancelled', n: 37 },
      { status: 'completed', n: 3 },
    ]);
    // The abort of the in-flight items went out (through the outbox).
    for await (const msg of signals) {
      expect(msg.subject).toBe(f.names.cancelControl(runId));
      break;
    }
  });

  describe('per-tenant cap on attempts in flight', () => {
    const CAP = 4;

    /** Completes queued attempts of the given runs until they end, checking the cap after every transition. */
    async function drive(
      engines: RunEngine[],
      runIds: string[],
      tenantId: string,
      concurrent: boolean,
    ): Promise<number> {
      let most = 0;
      const check = async () => {
        const n = await f.inFlight(tenantId);
        most = Math.max(most, n);
        expect(n).toBeLessThanOrEqual(CAP);
      };
      for (let round = 0; round < 500; round++) {
        const queued = await f.queued(runIds);
        const statuses = await f.db.query<{ status: string }[]>(
          `SELECT status FROM runs WHERE id = ANY($1)`,
          [runIds],
        );
        if (statuses.every((s) => s.status === 'completed')) return most;
        if (concurrent) {
          // Both replicas apply results at the same time, then both sweep at the same time.
          await Promise.all(
            queued.map((d: StepDispatch, i) => engines[i % engines.length]!.applyResult(completed(d, 'x'))),
          );
          await check();
          await Promise.all(engines.map((e) => e.dispatchWaitingAttempts()));
          await check();
        } else {
          for (const d of queued) {
            await engines[0]!.applyResult(completed(d, 'x'));
            await check();
          }
          await engines[0]!.dispatchWaitingAttempts();
          await check();
        }
      }
      throw new Error('runs did not complete');
    }

    it("keeps a tenant's runs under its cap while another tenant's run is dispatched at once", async () => {
      const { engine } = await f.engine({ maxRunningAttemptsPerTenant: CAP });
      const busy: string[] = [];
      for (let i = 0; i < 3; i++)
        busy.push(await f.insertRun(fanOut(10), { tenantId: 'tenant-a', input: { items: items(6) } }));
      for (const runId of busy) await engine.startRun(runId);
      expect(await f.inFlight('tenant-a')).toBe(CAP);
      const [{ waiting }] = await f.db.query<[{ waiting: number }]>(
        `SELECT count(*)::int AS waiting FROM run_steps WHERE tenant_id = 'tenant-a' AND waiting_since IS NOT NULL`,
      );
      expect(waiting).toBe(18 - CAP);

      // Tenant B is not slowed: its run is dispatched at once, whatever tenant A has waiting.
      const other = await f.insertRun(fanOut(10), { tenantId: 'tenant-b', input: { items: items(3) } });
      await engine.startRun(other);
      expect((await f.queued([other])).map((d) => d.itemIndex)).toEqual([0, 1, 2]);

      expect(await drive([engine], busy, 'tenant-a', false)).toBe(CAP);
      const report = await checkConsistency((sql, p) => f.db.query(sql, p), { tenantId: 'tenant-a' });
      expect(report.problems).toEqual([]);
    });

    it("hands a slot freed by one run to another run's waiting attempt at once, without the sweep", async () => {
      const { engine } = await f.engine({ maxRunningAttemptsPerTenant: 2 });
      const first = await f.insertRun(fanOut(10), { tenantId: 'tenant-e', input: { items: items(2) } });
      const second = await f.insertRun(fanOut(10), { tenantId: 'tenant-e', input: { items: items(1) } });
      await engine.startRun(first);
      await engine.startRun(second);
      expect(await f.queued([second])).toEqual([]);
      const [item] = await f.queued([first]);
      await engine.applyResult(completed(item!, 'x'));
      await engine.settled();
      expect((await f.queued([second])).map((d) => d.itemIndex)).toEqual([0]);
      expect(await f.inFlight('tenant-e')).toBe(2);
    });

    it('hands a slot to a run another transaction is writing as soon as that one commits, not at the next sweep', async () => {
      const { engine } = await f.engine({ maxRunningAttemptsPerTenant: 2 });
      const first = await f.insertRun(fanOut(10), { tenantId: 'tenant-h', input: { items: items(2) } });
      const second = await f.insertRun(fanOut(10), { tenantId: 'tenant-h', input: { items: items(1) } });
      await engine.startRun(first);
      await engine.startRun(second);
      // Another replica is writing the second run: the hand-off waits for its lock (it goes
      // through the batcher like any transition) rather than passing the run over.
      const holder = await f.holdRunLock(second);
      const [item] = await f.queued([first]);
      await engine.applyResult(completed(item!, 'x'));
      const handedOn = engine.settled();
      await new Promise((r) => setTimeout(r, 200));
      expect(await f.queued([second])).toEqual([]);
      await holder.commitTransaction();
      await holder.release();
      await handedOn;
      expect((await f.queued([second])).map((d) => d.itemIndex)).toEqual([0]);
      expect(await f.inFlight('tenant-h')).toBe(2);
    });

    it('lets a chain keep its slot from step to step while younger runs wait, then hands it on when the run ends', async () => {
      const chain = chainYaml(2);
      const { engine } = await f.engine({ maxRunningAttemptsPerTenant: 1 });
      const first = await f.insertRun(chain, { tenantId: 'tenant-l' });
      const second = await f.insertRun(chain, { tenantId: 'tenant-l' });
      await engine.startRun(first);
      await engine.startRun(second); // waits: the tenant's one slot is taken
      const [a] = await f.queued([first]);
      await engine.applyResult(completed(a!, 'x'));
      await engine.settled();
      // The first run's next step took the slot its step freed; the second run still waits.
      expect((await f.queued([first])).map((d) => d.stepId)).toEqual(['s2']);
      expect(await f.queued([second])).toEqual([]);
      expect(await f.inFlight('tenant-l')).toBe(1);

      const [next] = await f.queued([first]);
      await engine.applyResult(completed(next!, 'y'));
      await engine.settled();
      expect((await f.queued([second])).map((d) => d.stepId)).toEqual(['s1']);
      expect(await f.inFlight('tenant-l')).toBe(1);
    });

    it('serialises two replicas starting runs of one tenant at the same instant (tenant lock)', async () => {
      const replicas = [
        (await f.engine({ maxRunningAttemptsPerTenant: CAP }, { replica: 'orchestrator-c' })).engine,
        (await f.engine({ maxRunningAttemptsPerTenant: CAP }, { replica: 'orchestrator-d' })).engine,
      ];
      const runs = [
        await f.insertRun(fanOut(10), { tenantId: 'tenant-d', input: { items: items(4) } }),
        await f.insertRun(fanOut(10), { tenantId: 'tenant-d', input: { items: items(4) } }),
      ];
      // A third connection holds both run rows: both replicas' transitions wait, then go at once.
      const holder = f.db.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      await holder.query(`SELECT id FROM runs WHERE id = ANY($1::uuid[]) FOR UPDATE`, [runs]);
      const started = runs.map((runId, i) => replicas[i]!.startRun(runId));
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [{ n }] = await f.db.query<[{ n: number }]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name IN ('orchestrator-c', 'orchestrator-d')
              AND wait_event_type = 'Lock'`,
        );
        if (n >= 2) break;
        if (Date.now() > deadline) throw new Error('the replicas did not wait for the run locks');
        await new Promise((r) => setTimeout(r, 20));
      }
      await holder.rollbackTransaction();
      await holder.release();
      expect(await Promise.all(started)).toEqual([true, true]);
      expect(await f.inFlight('tenant-d')).toBe(CAP);
    });

    it('shares the cap between two orchestrator replicas', async () => {
      const replicas = [
        (await f.engine({ maxRunningAttemptsPerTenant: CAP }, { replica: 'orchestrator-a' })).engine,
        (await f.engine({ maxRunningAttemptsPerTenant: CAP }, { replica: 'orchestrator-b' })).engine,
      ];
      const runs: string[] = [];
      for (let i = 0; i < 4; i++)
        runs.push(await f.insertRun(fanOut(10), { tenantId: 'tenant-c', input: { items: items(5) } }));
      // Both replicas start runs at the same time.
      await Promise.all(runs.map((runId, i) => replicas[i % 2]!.startRun(runId)));
      expect(await f.inFlight('tenant-c')).toBe(CAP);
      expect(await drive(replicas, runs, 'tenant-c', true)).toBe(CAP);
    });
  });
});
