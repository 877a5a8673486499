import type { RunStatus } from '@sandcastle/contracts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import { createTestBackend, type TestBackend } from '../testing/test-backend';
import { GetStatsUseCase } from './get-stats.use-case';
import { STATS_SQL } from './stats.repository';
import type { StatsView } from './stats.view';
import { utcDate, utcDayStart } from './stats-window.util';

/** Rows of the tenant under test, spread over DAYS days (a prime, so every day gets every status). */
const RUNS = 100_000;
const DAYS = 401;
const STATUSES: RunStatus[] = [
  'completed',
  'completed',
  'completed',
  'completed',
  'completed',
  'completed',
  'failed',
  'budget_exceeded',
  'cancelled',
  'running',
];

/** What row i of the generated data is; the SQL below builds the same rows. */
function generatedRun(i: number) {
  const status = STATUSES[i % 10]!;
  return {
    daysBack: i % DAYS,
    status,
    costUsd: (i % 100) / 1000,
    workflow: `wf-${i % 7}`,
    durationSeconds: status === 'running' ? null : i % 50,
  };
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

describe('GET /stats (real PostgreSQL, ~100k runs)', () => {
  let backend: TestBackend;
  let gw: TestGateway;
  let todayStart: Date;

  beforeAll(async () => {
    // The data is laid out by UTC day: never straddle midnight between inserting and asking.
    const msToMidnight = utcDayStart(new Date(), -1).getTime() - Date.now();
    if (msToMidnight < 60_000) await new Promise((r) => setTimeout(r, msToMidnight + 1000));
    todayStart = utcDayStart(new Date());

    backend = await createTestBackend('stats');
    const { db } = backend;
    // Each run is created in the first hour of its day (today's may lie a little ahead: no query
    // has an upper bound), starts a second later and, unless running, takes i % 50 seconds.
    await db.dataSource.query(
      `INSERT INTO runs (id, tenant_id, workflow_name, definition, root_run_id, status, total_cost_usd,
                         created_at, started_at, completed_at)
       SELECT id, 'default', 'wf-' || (i % 7), '{}'::jsonb, id, ($2::text[])[i % 10 + 1], (i % 100) / 1000.0,
              created, created + interval '1 second',
              CASE WHEN i % 10 = 9 THEN NULL
                   ELSE created + interval '1 second' + make_interval(secs => i % 50) END
         FROM (SELECT gen_random_uuid() AS id, i,
                      $1::timestamptz - make_interval(days => i % $3) + make_interval(secs => (i / $3) % 3600)
                        AS created
                 FROM generate_series(0, $4 - 1) AS i) generated`,
      [todayStart, STATUSES, DAYS, RUNS],
    );
    // Another tenant's runs, in the same days and workflows, at a price that would show.
    await db.dataSource.query(
      `INSERT INTO runs (id, tenant_id, workflow_name, definition, root_run_id, status, total_cost_usd,
                         created_at, started_at, completed_at)
       SELECT id, 'other-tenant', 'wf-' || (i % 3), '{}'::jsonb, id, 'failed', 100,
              $1::timestamptz - make_interval(days => i % 10), $1::timestamptz, $1::timestamptz + interval '1 hour'
         FROM (SELECT gen_random_uuid() AS id, i FROM generate_series(0, 4999) AS i) generated`,
      [todayStart],
    );
    await db.dataSource.query('ANALYZE runs');

    gw = await startTestGateway({
      backend,
      env: { WORKFLOWS_DIR: '/nonexistent-stats-test-dir', DB_POOL_SIZE: '4' },
    });
  }, 120_000);

  afterAll(async () => {
    await gw?.stop();
    await backend?.dispose();
  });

  it('reports the tenant’s numbers, by UTC day, and nothing of other tenants', async () => {
    const response = await fetch(`${gw.url}/stats`);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: StatsView };

    const runs = Array.from({ length: RUNS }, (_, i) => generatedRun(i));
    const today = runs.filter((r) => r.daysBack === 0);
    const completed = today.filter((r) => r.status === 'completed').length;
    const failed = today.filter((r) => r.status === 'failed' || r.status === 'budget_exceeded').length;
    const durations = today.flatMap((r) => (r.durationSeconds === null ? [] : [r.durationSeconds]));
    expect(data.total_runs_today).toBe(today.length);
    expect(data.success_rate).toBe(round(completed / (completed + failed), 4));
    expect(data.total_cost_today).toBeCloseTo(
      today.reduce((sum, r) => sum + r.costUsd, 0),
      6,
    );
    expect(data.avg_duration_seconds).toBe(round(durations.reduce((a, b) => a + b, 0) / durations.length, 1));

    expect(data.runs_by_day).toHaveLength(30);
    expect(data.runs_by_day[29]!.date).toBe(utcDate(todayStart));
    expect(data.runs_by_day[0]!.date).toBe(utcDate(utcDayStart(todayStart, 29)));
    data.runs_by_day.forEach((day, index) => {
      const daysBack = 29 - index;
      const ofDay = runs.filter((r) => r.daysBack === daysBack);
      expect(day).toEqual({
        date: utcDate(utcDayStart(todayStart, daysBack)),
        completed: ofDay.filter((r) => r.status === 'completed').length,
        failed: ofDay.filter((r) => r.status === 'failed' || r.status === 'budget_exceeded').length,
        total: ofDay.length,
      });
    });

    const week = runs.filter((r) => r.daysBack < 7);
    const byWorkflow = new Map<string, { cost: number; runs: number }>();
    for (const r of week) {
      const entry = byWorkflow.get(r.workflow) ?? { cost: 0, runs: 0 };
      byWorkflow.set(r.workflow, { cost: entry.cost + r.costUsd, runs: entry.runs + 1 });
    }
    const expected = [...byWorkflow.entries()].sort((a, b) => b[1].cost - a[1].cost);
    expect(data.cost_by_workflow.map((c) => c.workflow)).toEqual(expected.map(([w]) => w));
    data.cost_by_workflow.forEach((c, index) => {
      expect(c.runs).toBe(expected[index]![1].runs);
      expect(c.cost_usd).toBeCloseTo(expected[index]![1].cost, 6);
    });
  });

  it('shows a tenant without runs every day of the window, as zeros', async () => {
    const view = await gw.app.get(GetStatsUseCase).execute('nobody');
    expect(view).toMatchObject({
      total_runs_today: 0,
      success_rate: 0,
      total_cost_today: 0,
      avg_duration_seconds: 0,
      cost_by_workflow: [],
    });
    expect(view.runs_by_day).toHaveLength(30);
    expect(view.runs_by_day.every((d) => d.total === 0 && d.completed === 0 && d.failed === 0)).toBe(true);
  });

  it.each([
    ['today', STATS_SQL.today, 0],
    ['byDay', STATS_SQL.byDay, 29],
    ['costByWorkflow', STATS_SQL.costByWorkflow, 6],
  ] as const)('answers %s with a range scan of ix_runs_tenant_created', async (_name, sql, daysBack) => {
    const since = utcDayStart(todayStart, daysBack);
    const [row] = await gw.db.dataSource.query<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (FORMAT JSON) ${sql}`, [
      'default',
      since,
    ]);
    const plan = JSON.stringify(row?.['QUERY PLAN']);
    expect(plan).toContain('"Index Name":"ix_runs_tenant_created"');
    expect(plan).toMatch(/"Index Cond":"\(\(\(tenant_id\)::text = 'default'::text\) AND \(created_at >= /);
    expect(plan).not.toContain('Seq Scan');
  });
});
