import { randomBytes, randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsNames, type NatsNames, type StepDispatch, type StepResult } from '@sandcastle/contracts';
import { ensureStreams, JetStreamPublisher } from '@sandcastle/messaging';
import { createMetricsRegistry, type LogFields, type Logger } from '@sandcastle/observability';
import { createDataSource, itemIndexFromDb, STORED_STEP_ITEM_INDEX } from '@sandcastle/persistence';
import { createTestDatabase } from '@sandcastle/persistence/testing';
import { parseWorkflowYaml } from '@sandcastle/workflow';
import type { Registry } from 'prom-client';
import type { DataSource, QueryRunner } from 'typeorm';
import { OrchestratorMetrics } from '../orchestrator.metrics';
import type { CompletionWriter } from '../completion-writer';
import { RunEngine, type EngineSettings, type StoppedRunRecorder } from '../run-engine';
import { resultOf } from './machine-harness';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** An engine of the fixture, with its own pool (a replica), metrics registry and captured log. */
export interface TestEngine {
  engine: RunEngine;
  db: DataSource;
  metrics: OrchestratorMetrics;
  registry: Registry;
  logger: CapturingLogger;
}

/** Keeps log lines in memory (tests assert on them) instead of printing them. */
export class CapturingLogger implements Logger {
  readonly lines: { level: string; msg: string; fields: LogFields }[] = [];
  debug(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'error', msg, fields });
  }
  child(): Logger {
    return this;
  }
}

/**
 * Real PostgreSQL (a database of its own) and NATS (a namespace of its own) for engine
 * integration tests; results are made from the attempt rows the engine queued, as an executor
 * would report them.
 */
export class EngineFixture {
  names!: NatsNames;
  db!: DataSource;
  url!: string;
  nc!: NatsConnection;
  jsm!: JetStreamManager;
  private dropDb!: () => Promise<void>;
  private readonly extraDbs: DataSource[] = [];
  private readonly engines: RunEngine[] = [];

  async setUp(prefix: string): Promise<void> {
    this.names = natsNames(`${prefix}${randomBytes(4).toString('hex')}`);
    // Pipelined connections, as the orchestrator's (transition-session.ts).
    const database = await createTestDatabase({ pipeline: true });
    this.db = database.dataSource;
    this.url = database.url;
    this.dropDb = database.drop;
    this.nc = await connect({ servers: NATS_URL });
    this.jsm = await jetstreamManager(this.nc);
    await ensureStreams(this.jsm, this.names);
  }

  async tearDown(): Promise<void> {
    for (const engine of this.engines) await engine.settled();
    for (const stream of Object.values(this.names.streams))
      await this.jsm.streams.delete(stream).catch(() => undefined);
    await this.nc.close();
    for (const db of this.extraDbs) await db.destroy();
    await this.dropDb();
  }

  /** An engine; `replica` gives it a connection pool of its own, as another process would have. */
  async engine(
    settings: Partial<EngineSettings> = {},
    options: {
      replica?: string;
      /** Connections of the replica's pool (default 4). */
      poolSize?: number;
      publisher?: JetStreamPublisher;
      stoppedRuns?: StoppedRunRecorder;
      completions?: CompletionWriter;
    } = {},
  ): Promise<TestEngine> {
    let db = this.db;
    if (options.replica) {
      db = await createDataSource(this.url, {
        poolSize: options.poolSize ?? 4,
        applicationName: options.replica,
        pipeline: true,
      }).initialize();
      this.extraDbs.push(db);
    }
    const registry = createMetricsRegistry(`t_${randomBytes(3).toString('hex')}`);
    const metrics = new OrchestratorMetrics(registry);
    const logger = new CapturingLogger();
    const engine = new RunEngine(
      db,
      options.publisher ?? new JetStreamPublisher(this.nc),
      {
        names: this.names,
        instanceId: options.replica ?? 'test',
        lostAttemptGraceMs: 30_000,
        queueAllowanceMs: 600_000,
        maxBatch: 64,
        maxBatchesInFlight: 4,
        ...settings,
      },
      logger,
      metrics,
      options.stoppedRuns ?? null,
      options.completions ?? null,
    );
    this.engines.push(engine);
    return { engine, db, metrics, registry, logger };
  }

  async insertRun(
    yaml: string,
    options: { tenantId?: string; input?: Record<string, unknown>; maxCostUsd?: number } = {},
  ): Promise<string> {
    const parsed = parseWorkflowYaml(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO runs (id, tenant_id, workflow_name, definition, input_data, root_run_id, max_cost_usd)
       VALUES ($1, $2, 'test', $3, $4, $1, $5)`,
      [
        id,
        options.tenantId ?? 'default',
        JSON.stringify(parsed.definition),
        JSON.stringify(options.input ?? {}),
        options.maxCostUsd ?? null,
      ],
    );
    return id;
  }

  /**
   * Holds the run's row lock in a transaction of its own, as another replica's transition would;
   * commit or roll back the returned runner (and release it) to let go.
   */
  async holdRunLock(runId: string): Promise<QueryRunner> {
    const holder = this.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM runs WHERE id = $1 FOR UPDATE`, [runId]);
    return holder;
  }

  /** Attempts queued (as an executor would take them from the stream), optionally of some runs only. */
  async queued(runIds?: string[]): Promise<StepDispatch[]> {
    const rows = await this.db.query<
      {
        tenant_id: string;
        run_id: string;
        step_id: string;
        item_index: number;
        attempt: number;
        model: string;
      }[]
    >(
      `SELECT tenant_id, run_id, step_id, item_index, attempt, model FROM run_steps
        WHERE status = 'queued' AND ($1::uuid[] IS NULL OR run_id = ANY($1::uuid[]))
        ORDER BY run_id, step_id, item_index`,
      [runIds ?? null],
    );
    return rows.map(
      (r) =>
        ({
          tenantId: r.tenant_id,
          runId: r.run_id,
          stepId: r.step_id,
          itemIndex: itemIndexFromDb(r.item_index),
          attempt: r.attempt,
          model: r.model,
        }) as StepDispatch,
    );
  }

  /** A tenant's attempts queued or running (what its cap limits). */
  async inFlight(tenantId: string, stepId?: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM run_steps
        WHERE tenant_id = $1 AND status IN ('queued', 'running') AND NOT (item_index = ${STORED_STEP_ITEM_INDEX} AND item_count IS NOT NULL)
          AND ($2::varchar IS NULL OR step_id = $2)`,
      [tenantId, stepId ?? null],
    );
    return row?.n ?? 0;
  }

  async runStatus(runId: string): Promise<{ status: string; total_cost_usd: number; error: string | null }> {
    const [row] = await this.db.query<{ status: string; total_cost_usd: number; error: string | null }[]>(
      `SELECT status, total_cost_usd, error FROM runs WHERE id = $1`,
      [runId],
    );
    return row!;
  }
}

/** A completed result for a queued attempt. */
export function completed(d: StepDispatch, output: unknown, costUsd = 0.01): StepResult {
  return resultOf(d, 'completed', output, costUsd);
}
