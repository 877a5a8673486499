import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createLogger, createMetricsRegistry } from '@sandcastle/observability';
import { createDataSource } from '@sandcastle/persistence';
import { createTestDatabase } from '@sandcastle/persistence/testing';
import { parseWorkflowYaml } from '@sandcastle/workflow';
import { FireSchedulesUseCase } from './fire-schedules.use-case';
import { ScheduleFiringRepository } from './schedule-firing.repository';
import type { FiredRun, ScheduledRunStarter } from './scheduled-run-starter';
import { SchedulerMetrics } from './scheduler.metrics';

const YAML = 'name: Nightly\nruntime: simulated\nsteps:\n  - id: only\n    prompt: hi\n';

/**
 * Two scheduler replicas (separate connection pools) firing the same schedules at the same time
 * against the real PostgreSQL, with a clock the test moves: every due time gives exactly one run.
 * The start command is recorded instead of sent: what is under test is the database's part.
 */
describe('FireSchedulesUseCase with two replicas', () => {
  let db: DataSource;
  let url: string;
  let drop: () => Promise<void>;
  const pools: DataSource[] = [];
  const started: FiredRun[] = [];
  let replicas: FireSchedulesUseCase[];

  beforeAll(async () => {
    const database = await createTestDatabase();
    ({ dataSource: db, url, drop } = database);
    const parsed = parseWorkflowYaml(YAML);
    if (!parsed.ok) throw new Error('bad test workflow');
    await db.query(
      `INSERT INTO workflows (tenant_id, name, version, title, content, content_hash, definition, source)
       VALUES ('t1', 'nightly', 1, 'Nightly', $1, 'x', $2, 'api')`,
      [YAML, JSON.stringify(parsed.definition)],
    );
    const starter = {
      start: (run: FiredRun) => Promise.resolve(void started.push(run)),
    } as ScheduledRunStarter;
    replicas = [];
    for (const name of ['a', 'b']) {
      const pool = await createDataSource(url, {
        poolSize: 3,
        applicationName: `scheduler-${name}`,
      }).initialize();
      pools.push(pool);
      replicas.push(
        new FireSchedulesUseCase(
          pool,
          new ScheduleFiringRepository(),
          starter,
          { batchSize: 100, catchUpAfterMs: 30_000, defaultMaxCostUsd: 0 },
          new SchedulerMetrics(createMetricsRegistry(`scheduler_${name}`)),
          createLogger('scheduler', 'error'),
        ),
      );
    }
  });

  afterAll(async () => {
    for (const pool of pools) await pool.destroy();
    await drop();
  });

  beforeEach(async () => {
    started.length = 0;
    await db.query('DELETE FROM runs');
    await db.query('DELETE FROM schedules');
  });

  async function insertSchedule(fields: {
    cron: string;
    nextRunAt: string;
    workflow?: string;
    overlap?: string;
  }): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO schedules (id, tenant_id, workflow_name, cron_expression, timezone, overlap, next_run_at)
       VALUES ($1, 't1', $2, $3, 'UTC', $4, $5)`,
      [id, fields.workflow ?? 'nightly', fields.cron, fields.overlap ?? 'allow', fields.nextRunAt],
    );
    return id;
  }

  it('fires each due time of many schedules exactly once when both replicas tick together', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1)
      ids.push(await insertSchedule({ cron: '* * * * * *', nextRunAt: '2026-01-01T00:00:01Z' }));
    // Ten ticks of both replicas at once, the clock one second further each time.
    for (let second = 1; second <= 10; second += 1) {
      const now = new Date(Date.UTC(2026, 0, 1, 0, 0, second, 100));
      await Promise.all(replicas.map((r) => r.execute(() => now)));
    }
    const rows: { schedule_id: string; scheduled_for: Date; catch_up: boolean }[] = await db.query(
      'SELECT schedule_id, scheduled_for, catch_up FROM runs',
    );
    expect(rows).toHaveLength(200);
    for (const id of ids) {
      const times = rows.filter((r) => r.schedule_id === id).map((r) => r.scheduled_for.getTime());
      expect(new Set(times).size).toBe(10);
    }
    expect(rows.every((r) => !r.catch_up)).toBe(true);
    expect(started).toHaveLength(200);
    expect(new Set(started.map((s) => s.runId)).size).toBe(200);
  });

  it('fires one catch-up for due times missed while no replica ran', async () => {
    const id = await insertSchedule({ cron: '*/2 * * * * *', nextRunAt: '2026-01-01T00:00:02Z' });
    const now = new Date('2026-01-01T00:00:07.500Z');
    await Promise.all(replicas.map((r) => r.execute(() => now)));
    await Promise.all(replicas.map((r) => r.execute(() => now)));
    const rows: { scheduled_for: Date; catch_up: boolean; missed_fires: number }[] = await db.query(
      'SELECT scheduled_for, catch_up, missed_fires FROM runs WHERE schedule_id = $1',
      [id],
    );
    expect(rows).toEqual([
      { scheduled_for: new Date('2026-01-01T00:00:06Z'), catch_up: true, missed_fires: 3 },
    ]);
    const [schedule] = await db.query('SELECT next_run_at, last_run_id FROM schedules WHERE id = $1', [id]);
    expect(schedule.next_run_at).toEqual(new Date('2026-01-01T00:00:08Z'));
  });

  it('skips a due time while the previous run is active when overlap is skip', async () => {
    const id = await insertSchedule({
      cron: '*/2 * * * * *',
      nextRunAt: '2026-01-01T00:00:02Z',
      overlap: 'skip',
    });
    await replicas[0]!.execute(() => new Date('2026-01-01T00:00:02.1Z'));
    await replicas[1]!.execute(() => new Date('2026-01-01T00:00:04.1Z'));
    expect(await db.query('SELECT count(*)::int AS n FROM runs WHERE schedule_id = $1', [id])).toEqual([
      { n: 1 },
    ]);
    await db.query(`UPDATE runs SET status = 'completed' WHERE schedule_id = $1`, [id]);
    await replicas[1]!.execute(() => new Date('2026-01-01T00:00:06.1Z'));
    expect(await db.query('SELECT count(*)::int AS n FROM runs WHERE schedule_id = $1', [id])).toEqual([
      { n: 2 },
    ]);
  });

  it('disables a schedule whose workflow was deleted, with the reason', async () => {
    const id = await insertSchedule({
      cron: '* * * * * *',
      nextRunAt: '2026-01-01T00:00:01Z',
      workflow: 'gone',
    });
    await replicas[0]!.execute(() => new Date('2026-01-01T00:00:01.1Z'));
    const [row] = await db.query(
      'SELECT enabled, next_run_at, disabled_reason FROM schedules WHERE id = $1',
      [id],
    );
    expect(row).toEqual({
      enabled: false,
      next_run_at: null,
      disabled_reason: expect.stringContaining("'gone' no longer exists"),
    });
    expect(started).toEqual([]);
  });

  it('refuses a second run for the same due time at the database (the unique key)', async () => {
    const id = await insertSchedule({ cron: '* * * * * *', nextRunAt: '2026-01-01T00:00:01Z' });
    await replicas[0]!.execute(() => new Date('2026-01-01T00:00:01.1Z'));
    // As if a replica had read the schedule before the fire committed: put next_run_at back.
    await db.query(`UPDATE schedules SET next_run_at = '2026-01-01T00:00:01Z' WHERE id = $1`, [id]);
    await replicas[1]!.execute(() => new Date('2026-01-01T00:00:01.2Z'));
    expect(await db.query('SELECT count(*)::int AS n FROM runs WHERE schedule_id = $1', [id])).toEqual([
      { n: 1 },
    ]);
    expect(started).toHaveLength(1);
    const [row] = await db.query('SELECT next_run_at FROM schedules WHERE id = $1', [id]);
    expect(row.next_run_at).toEqual(new Date('2026-01-01T00:00:02Z'));
  });
});
