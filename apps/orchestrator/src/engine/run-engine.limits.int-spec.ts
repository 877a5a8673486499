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

const FAN_OUT_ABORT = `
name: Fan
runtime: simulated
steps:
  - id: list
    prompt: list
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output
    prompt: "item {input._item}"
    retry: { on_failure: abort }
`;

const ONE_STEP = `
name: One
runtime: simulated
steps:
  - id: a
    prompt: go
`;

/** The orchestrator's engine against the real PostgreSQL and NATS: no executor, results are made here. */
describe('RunEngine limits and hostile results (real PostgreSQL and NATS)', () => {
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
      new JetStreamPublisher(nc, js),
      {
        names,
        instanceId: 'test',
        lostAttemptGraceMs: 30_000,
        queueAllowanceMs: 600_000,
        maxBatch: 64,
        maxBatchesInFlight: 4,
        limits: { maxFanOutItems: 50 },
      },
      createLogger('orchestrator-test', 'error'),
      new OrchestratorMetrics(createMetricsRegistry('orchestrator_limits_test')),
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

  async function runRow(runId: string): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT status, error, total_input_tokens, total_output_tokens, total_cost_usd, outputs FROM runs WHERE id = $1`,
      [runId],
    );
    return rows[0]!;
  }

  it('fails an oversized fan-out with FAN_OUT_TOO_LARGE on the step row and ends the run', async () => {
    const runId = await insertRun(FAN_OUT_ABORT);
    await engine.startRun(runId);
    const [list] = await takeDispatches(1);
    const items = Array.from({ length: 400_000 }, (_, i) => i);
    await engine.applyResult(resultOf(list!, items));
    const steps: { step_id: string; item_index: number; status: string; error_kind: string | null }[] =
      await db.query(
        `SELECT step_id, item_index, status, error_kind FROM run_steps WHERE run_id = $1 AND step_id = 'each'`,
        [runId],
      );
    expect(steps).toEqual([
      { step_id: 'each', item_index: -1, status: 'failed', error_kind: 'FAN_OUT_TOO_LARGE' },
    ]);
    expect(await runRow(runId)).toMatchObject({ status: 'failed' });
  });

  it('stores a hostile result (NUL, lone surrogates, 2^40 tokens, NaN cost) and completes the run', async () => {
    const runId = await insertRun(ONE_STEP);
    await engine.startRun(runId);
    const [a] = await takeDispatches(1);
    const hostile: StepResult = {
      ...resultOf(a!, { text: 'nul \u0000 here', ['key\u0000']: ['\uD800 lone'] }),
      error: null,
      costUsd: 0.5,
      usage: {
        inputTokens: 2 ** 40,
        outputTokens: 2 ** 35,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
      },
      numTurns: 2 ** 33,
    };
    expect(await engine.applyResult(hostile)).not.toBe('unknown-run');
    const run = await runRow(runId);
    expect(run).toMatchObject({
      status: 'completed',
      total_input_tokens: 2 ** 31 - 1,
      total_output_tokens: 2 ** 31 - 1,
      total_cost_usd: 0.5,
      outputs: { a: { text: 'nul \uFFFD here', ['key\uFFFD']: ['\uFFFD lone'] } },
    });
    const attempts: { input_tokens: number; num_turns: number }[] = await db.query(
      `SELECT input_tokens, num_turns FROM step_attempts WHERE run_id = $1`,
      [runId],
    );
    expect(attempts).toEqual([{ input_tokens: 2 ** 31 - 1, num_turns: 2 ** 31 - 1 }]);
  });

  it('stores the longest limit error kind on the step and the attempt', async () => {
    const runId = await insertRun(ONE_STEP);
    await engine.startRun(runId);
    const [a] = await takeDispatches(1);
    await engine.applyResult({
      ...resultOfOutcome(a!, 'failed'),
      error: 'the runtime sent a line larger than 1048576 bytes (MAX_RUNTIME_EVENT_BYTES)',
      errorKind: 'RUNTIME_STREAM_TOO_LARGE',
    });
    const steps: { status: string; error_kind: string }[] = await db.query(
      `SELECT status, error_kind FROM run_steps WHERE run_id = $1 AND item_index = -1`,
      [runId],
    );
    expect(steps).toEqual([{ status: 'failed', error_kind: 'RUNTIME_STREAM_TOO_LARGE' }]);
    expect(await runRow(runId)).toMatchObject({ status: 'failed' });
  });
});
