import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { tenantParam, type TenantScope } from '../tenancy/tenant-scope';
import type { TodayTotals } from './stats-view.util';
import type { DayRunsView, WorkflowCostView } from './stats.view';

/**
 * The three queries behind `GET /stats`. Each reads one tenant's runs created since a point in
 * time: `tenant_id = $1 AND created_at >= $2`, a range scan of `ix_runs_tenant_created`
 * (tenant_id, created_at DESC). `$1` null (the admin key) reads every tenant; PostgreSQL plans an
 * unnamed statement with its parameter values, so for a tenant the null test folds away. No upper bound: runs are not created in the future.
 * `failed` counts `failed` and `budget_exceeded` (see successRate).
 */
export const STATS_SQL = {
  today: `
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'completed')::int AS completed,
           count(*) FILTER (WHERE status IN ('failed', 'budget_exceeded'))::int AS failed,
           coalesce(sum(total_cost_usd), 0)::float8 AS cost_usd,
           avg(extract(epoch FROM completed_at - started_at))::float8 AS avg_duration_seconds
      FROM runs
     WHERE ($1::varchar IS NULL OR tenant_id = $1) AND created_at >= $2`,
  byDay: `
    SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
           count(*) FILTER (WHERE status = 'completed')::int AS completed,
           count(*) FILTER (WHERE status IN ('failed', 'budget_exceeded'))::int AS failed,
           count(*)::int AS total
      FROM runs
     WHERE ($1::varchar IS NULL OR tenant_id = $1) AND created_at >= $2
     GROUP BY 1`,
  costByWorkflow: `
    SELECT workflow_name AS workflow,
           coalesce(sum(total_cost_usd), 0)::float8 AS cost_usd,
           count(*)::int AS runs
      FROM runs
     WHERE ($1::varchar IS NULL OR tenant_id = $1) AND created_at >= $2
     GROUP BY workflow_name
     ORDER BY cost_usd DESC, workflow_name`,
} as const;

interface TodayRow {
  total: number;
  completed: number;
  failed: number;
  cost_usd: number;
  avg_duration_seconds: number | null;
}

@Injectable()
export class StatsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Runs created since `since`; the duration averages runs that have both started and ended. */
  async totalsSince(scope: TenantScope, since: Date): Promise<TodayTotals> {
    const [row] = await this.db.query<TodayRow[]>(STATS_SQL.today, [tenantParam(scope), since]);
    return {
      total: row?.total ?? 0,
      completed: row?.completed ?? 0,
      failed: row?.failed ?? 0,
      costUsd: row?.cost_usd ?? 0,
      avgDurationSeconds: row?.avg_duration_seconds ?? null,
    };
  }

  /** Counts per UTC day of creation, for the days since `since` that have runs. */
  async runsByDay(scope: TenantScope, since: Date): Promise<DayRunsView[]> {
    return this.db.query<DayRunsView[]>(STATS_SQL.byDay, [tenantParam(scope), since]);
  }

  /** Cost and run count per workflow since `since`, most expensive first. */
  async costByWorkflow(scope: TenantScope, since: Date): Promise<WorkflowCostView[]> {
    return this.db.query<WorkflowCostView[]>(STATS_SQL.costByWorkflow, [tenantParam(scope), since]);
  }
}
