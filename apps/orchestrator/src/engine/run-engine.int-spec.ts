import { randomBytes, randomUUID } from 'node:crypto';
import {
  jetstream,
  jetstreamManager,
  AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsNames, type StepDispatch, type StepResult } from '@sandcastle/contracts';
import { ensureStreams, JetStreamPublisher } from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry } from '@sandcastle/observability';
import { createTestDatabase } from '@sandcastle/persistence/testing';
import { parseWorkflowYaml } from '@sandcastle/workflow';
import type { DataSource } from 'typeorm';
import { OrchestratorMetrics } from './orchestrator.metrics';
import { resultOf as resultOfOutcome } from './testing/machine-harness';
import { RunEngine } from './run-engine';

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
    max_concurrency: 20
    prompt: "item {input._item}"
  - id: join
    depends_on: [each]
    prompt: "join {steps.each.output}"
`;

/** The orchestrator's engine against the real PostgreSQL and NATS: no executor, results are made here. */
describe('RunEngine (real PostgreSQL and NATS)', () => {
  const names = natsNames(`or${randomBytes(4).toString('hex')}`);
  let db: DataSource;
  let dropDb: () => Promise<void>;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let engine: RunEngine;

  beforeAll(async () => {
    const database = await createTestDatabase();
    db = database.dataSource;
    dropDb = database.drop;
    nc = await connect({ servers: NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, names);
    await jsm.consumers.add(names.streams.steps, { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
    engine = new RunEngine(
      db,
      new JetStreamPublisher(nc),
      {
        names,
        instanceId: 'test',
        lostAttemptGraceMs: 30_000,
        queueAllowanceMs: 600_000,
        maxBatch: 64,
        maxBatchesInFlight: 4,
      },
      createLogger('orchestrator-test', 'error'),
      new OrchestratorMetrics(createMetricsRegistry('orchestrator_test')),
    );
  });

  afterAll(async () => {
    for (const stream of Object.values(names.streams))
      await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await dropDb();
  });

  async function insertRun(
    yaml: string,
    createdAt = new Date(),
    lineage: { kind: 'replay' | 'fork'; parent: string; fromStep: string } | null = null,
  ): Promise<string> {
    const parsed = parseWorkflowYaml(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const id = randomUUID();
    await db.query(
      `INSERT INTO runs (id, tenant_id, workflow_name, definition, input_data, root_run_id, created_at, kind,
                         parent_run_id, replay_from_step)
       VALUES ($1, 'default', 'fan', $2, '{}', $1, $3, $4, $5, $6)`,
      [
        id,
        JSON.stringify(parsed.definition),
        createdAt,
        lineage?.kind ?? 'original',
        lineage?.parent ?? null,
        lineage?.fromStep ?? null,
      ],
    );
    return id;
  }

  /** Takes the dispatches published so far (acking them, as an executor would). */
  async function takeDispatches(expected: number): Promise<StepDispatch[]> {
    const consumer = await js.consumers.get(names.streams.steps, 'reader');
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

  /** A completed attempt's result ($0.01), as an executor would report it. */
  const resultOf = (d: StepDispatch, output: unknown): StepResult => resultOfOutcome(d, 'completed', output);

  it('starts a run once, however often the start command arrives', async () => {
    const runId = await insertRun(FAN_OUT);
    const outcomes = await Promise.all([
      engine.startRun(runId),
      engine.startRun(runId),
      engine.startRun(runId),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const [dispatch] = await takeDispatches(1);
    expect(dispatch).toMatchObject({ runId, stepId: 'list', attempt: 1, itemIndex: null });
    const rows = await db.query(`SELECT step_id, status FROM run_steps WHERE run_id = $1 ORDER BY step_id`, [
      runId,
    ]);
    expect(rows).toEqual([
      { step_id: 'each', status: 'pending' },
      { step_id: 'join', status: 'pending' },
      { step_id: 'list', status: 'queued' },
    ]);
  });

  it('applies concurrent fan-out results once each and collects them in item order', async () => {
    const runId = await insertRun(FAN_OUT);
    await engine.startRun(runId);
    const [list] = await takeDispatches(1);
    const items = Array.from({ length: 20 }, (_, i) => `item-${i}`);
    expect(await engine.applyResult(resultOf(list!, items))).toBe('applied');
    const fanned = await takeDispatches(20);
    expect(fanned.map((d) => d.itemIndex).sort((a, b) => a! - b!)).toEqual(items.map((_x, i) => i));

    // Every result arrives twice, all at once, in reverse order: applied once each.
    const results = fanned.map((d) => resultOf(d, `out-${d.itemIndex}`)).reverse();
    const outcomes = await Promise.all([...results, ...results].map((r) => engine.applyResult(r)));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(20);

    const [join] = await takeDispatches(1);
    expect(join!.stepId).toBe('join');
    expect(join!.prompt).toBe(`join ${JSON.stringify(items.map((_x, i) => `out-${i}`))}`);
    await engine.applyResult(resultOf(join!, 'done'));
    const [run] = await db.query(`SELECT status, total_cost_usd FROM runs WHERE id = $1`, [runId]);
    expect(run.status).toBe('completed');
    // 22 attempts at $0.01: duplicates were not charged twice.
    expect(run.total_cost_usd).toBeCloseTo(0.22, 6);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM step_attempts WHERE run_id = $1`, [runId]);
    expect(n).toBe(22);
  });

  it('cancels a running run, signalling executors to abort its in-flight attempts', async () => {
    const runId = await insertRun(FAN_OUT);
    const signals = nc.subscribe(names.cancelControl(runId), { max: 1 });
    await engine.startRun(runId);
    await takeDispatches(1);
    expect(await engine.cancelRun(runId, 'Cancelled by user')).toBe('cancelled');
    for await (const msg of signals) {
      expect(msg.json()).toMatchObject({ runId, reason: 'Cancelled by user' });
    }
    const [run] = await db.query(`SELECT status, error FROM runs WHERE id = $1`, [runId]);
    expect(run).toEqual({ status: 'cancelled', error: 'Cancelled by user' });
    expect(await engine.cancelRun(runId, 'again')).toBe('finished');
  });

  it('stores a dead letter once and restores a parent run in a replay', async () => {
    const DLQ = `
name: Dlq
runtime: simulated
on_failure: { dead_letter: true }
steps:
  - id: first
    prompt: first
  - id: flaky
    depends_on: [first]
    prompt: flaky
`;
    const parent = await insertRun(DLQ);
    await engine.startRun(parent);
    const [first] = await takeDispatches(1);
    await engine.applyResult(resultOf(first!, 'first-out'));
    const [flaky] = await takeDispatches(1);
    const failure = {
      ...resultOf(flaky!, null),
      outcome: 'failed' as const,
      error: 'no luck',
      errorKind: 'runtime_error' as const,
    };
    await Promise.all([engine.applyResult(failure), engine.applyResult(failure)]);
    const items = await db.query(
      `SELECT step_id, item_index, error, attempts FROM dead_letter_items WHERE run_id = $1`,
      [parent],
    );
    expect(items).toEqual([{ step_id: 'flaky', item_index: -1, error: 'no luck', attempts: 1 }]);
    const [done] = await db.query(`SELECT status FROM runs WHERE id = $1`, [parent]);
    expect(done.status).toBe('completed');

    const replay = await insertRun(DLQ, new Date(), { kind: 'replay', parent, fromStep: 'flaky' });
    await engine.startRun(replay);
    const dispatched = await takeDispatches(1);
    expect(dispatched.map((d) => d.stepId)).toEqual(['flaky']);
    const restored = await db.query(
      `SELECT status, output, cost_usd, restored_from FROM run_steps WHERE run_id = $1 AND step_id = 'first'`,
      [replay],
    );
    expect(restored).toEqual([
      { status: 'completed', output: 'first-out', cost_usd: 0, restored_from: parent },
    ]);
  });

  it('answers unknown-run for a result of a run that does not exist', async () => {
    const ghost = resultOf(
      {
        tenantId: 'default',
        runId: randomUUID(),
        stepId: 'x',
        itemIndex: null,
        attempt: 1,
        model: 'm',
      } as StepDispatch,
      null,
    );
    expect(await engine.applyResult(ghost)).toBe('unknown-run');
  });

  it('publishes outbox messages a crash left behind, and starts queued runs whose start was lost', async () => {
    const orphan = { v: 1, note: 'left by a crash' };
    await db.query(
      `INSERT INTO outbox (subject, msg_id, payload, created_at) VALUES ($1, $2, $3, now() - interval '1 minute')`,
      [names.subjects.stepDispatch, `orphan:${randomUUID()}`, JSON.stringify(orphan)],
    );
    expect(await engine.relayOutbox(2000)).toBe(1);
    const [relayed] = await takeDispatches(1);
    expect(relayed).toEqual(orphan);
    expect(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM outbox WHERE created_at < now() - interval '2 seconds'`,
        )
      )[0].n,
    ).toBe(0);

    const stale = await insertRun(FAN_OUT, new Date(Date.now() - 60_000));
    expect(await engine.startStaleQueuedRuns(10_000)).toBeGreaterThanOrEqual(1);
    const [{ status }] = await db.query(`SELECT status FROM runs WHERE id = $1`, [stale]);
    expect(status).toBe('running');
  });
});
