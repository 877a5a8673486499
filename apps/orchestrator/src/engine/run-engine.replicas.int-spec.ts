import { randomBytes, randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsNames, type StepDispatch } from '@sandcastle/contracts';
import { ensureStreams, JetStreamPublisher } from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry } from '@sandcastle/observability';
import { createDataSource } from '@sandcastle/persistence';
import { createTestDatabase } from '@sandcastle/persistence/testing';
import { parseWorkflowYaml } from '@sandcastle/workflow';
import type { DataSource, QueryRunner } from 'typeorm';
import { OrchestratorMetrics } from './orchestrator.metrics';
import { RunEngine } from './run-engine';
import { lockRunsWithSteps, saveTransitions, StaleStepWriteError } from './run-store';
import { resultOf } from './testing/machine-harness';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

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
  const names = natsNames(`rp${randomBytes(4).toString('hex')}`);
  let url: string;
  let holderDb: DataSource;
  let dropDb: () => Promise<void>;
  const replicaDbs: DataSource[] = [];
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let replicas: RunEngine[];

  beforeAll(async () => {
    const database = await createTestDatabase();
    url = database.url;
    holderDb = database.dataSource;
    dropDb = database.drop;
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, names);
    await jsm.consumers.add(names.streams.steps, { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
    replicas = [];
    for (const id of ['orchestrator-a', 'orchestrator-b']) {
      const db = await createDataSource(url, { poolSize: 4, applicationName: id }).initialize();
      replicaDbs.push(db);
      replicas.push(
        new RunEngine(
          db,
          new JetStreamPublisher(nc, jetstream(nc)),
          {
            names,
            instanceId: id,
            lostAttemptGraceMs: 30_000,
            queueAllowanceMs: 600_000,
            maxBatch: 64,
            maxBatchesInFlight: 4,
          },
          createLogger(id, 'error'),
          new OrchestratorMetrics(createMetricsRegistry(id.replace('-', '_'))),
        ),
      );
    }
  });

  afterAll(async () => {
    for (const stream of Object.values(names.streams))
      await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    for (const db of replicaDbs) await db.destroy();
    await dropDb();
  });

  async function insertRun(yaml: string): Promise<string> {
    const parsed = parseWorkflowYaml(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const id = randomUUID();
    await holderDb.query(
      `INSERT INTO runs (id, tenant_id, workflow_name, definition, input_data, root_run_id)
       VALUES ($1, 'default', 'fan', $2, '{}', $1)`,
      [id, JSON.stringify(parsed.definition)],
    );
    return id;
  }

  async function takeDispatches(expected: number): Promise<StepDispatch[]> {
    const consumer = await jetstream(nc).consumers.get(names.streams.steps, 'reader');
    const out: StepDispatch[] = [];
    const deadline = Date.now() + 5000;
    while (out.length < expected && Date.now() < deadline) {
      const msg = await consumer.next({ expires: 1000 });
      if (msg) {
        out.push(msg.json<StepDispatch>());
        msg.ack();
      }
    }
    return out;
  }

  /** A transaction on its own connection holding the run's row lock. */
  async function holdLock(runId: string): Promise<QueryRunner> {
    const runner = holderDb.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT id FROM runs WHERE id = $1 FOR UPDATE`, [runId]);
    return runner;
  }

  /**
   * Waits until `count` replica sessions are blocked on a lock. (Not pg_blocking_pids of the
   * holder: the second waiter for a row queues behind the first waiter's tuple lock.)
   */
  async function waitForWaiters(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ n }] = await holderDb.query<[{ n: number }]>(
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
    const runId = await insertRun(FAN_OUT);
    await replicas[0]!.startRun(runId);
    const [list] = await takeDispatches(1);
    expect(await replicas[0]!.applyResult(resultOf(list!, 'completed', ['a', 'b']))).toBe('applied');
    const items = await takeDispatches(2);
    expect(items).toHaveLength(2);

    // Both replicas start their transition while the run is locked, so both statements begin
    // before either item is completed. Each must still see the other's item once it gets the lock.
    const holder = await holdLock(runId);
    const applied = items.map((item, i) =>
      replicas[i]!.applyResult(resultOf(item, 'completed', `out-${item.itemIndex}`)),
    );
    await waitForWaiters(2);
    await holder.rollbackTransaction();
    await holder.release();
    expect(await Promise.all(applied)).toEqual(['applied', 'applied']);

    const rows = await holderDb.query<{ step_id: string; item_index: number; status: string }[]>(
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
    const [join] = await takeDispatches(1);
    expect(join).toMatchObject({ runId, stepId: 'join', prompt: 'join ["out-0","out-1"]' });
    const [run] = await holderDb.query<[{ total_cost_usd: number }]>(
      `SELECT total_cost_usd FROM runs WHERE id = $1`,
      [runId],
    );
    expect(run.total_cost_usd).toBeCloseTo(0.03, 6);
  });

  it('never lets a late `started` move a finished attempt back to running', async () => {
    const runId = await insertRun(FAN_OUT);
    await replicas[0]!.startRun(runId);
    const [list] = await takeDispatches(1);
    const holder = await holdLock(runId);
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
    const [row] = await holderDb.query<[{ status: string; output: unknown }]>(
      `SELECT status, output FROM run_steps WHERE run_id = $1 AND step_id = 'list'`,
      [runId],
    );
    expect(row).toEqual({ status: 'completed', output: ['x'] });
  });

  it('refuses, and rolls back, a step write built on a stale read', async () => {
    const runId = await insertRun(FAN_OUT);
    await replicas[0]!.startRun(runId);
    await takeDispatches(1);
    const stale = await holderDb.transaction((em) => lockRunsWithSteps(em, [runId]));
    const state = stale.get(runId)!;
    // Someone else writes the run in between (as a replica holding the lock would).
    await holderDb.query(
      `UPDATE run_steps SET status = 'running', row_version = row_version + 1 WHERE run_id = $1 AND step_id = 'list'`,
      [runId],
    );
    const list = state.steps.find((s) => s.stepId === 'list')!;
    list.status = 'cancelled';
    await expect(
      holderDb.transaction('READ COMMITTED', (em) =>
        saveTransitions(em, [
          {
            run: { ...state.run, status: 'cancelled' },
            runChanged: true,
            steps: [list],
            messages: [
              {
                subject: names.subjects.stepDispatch,
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
    const [run] = await holderDb.query<[{ status: string }]>(`SELECT status FROM runs WHERE id = $1`, [
      runId,
    ]);
    expect(run.status).toBe('running');
    const [row] = await holderDb.query<[{ status: string }]>(
      `SELECT status FROM run_steps WHERE run_id = $1 AND step_id = 'list'`,
      [runId],
    );
    expect(row.status).toBe('running');
    const [{ n }] = await holderDb.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM outbox WHERE msg_id = $1`,
      [`m:${runId}`],
    );
    expect(n).toBe(0);
  });
});
