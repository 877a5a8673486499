import type { DayRunsView, StatsView, WorkflowCostView } from './stats.view';
import { lastUtcDates, RUNS_BY_DAY_DAYS } from './stats-window.util';

/** Today's totals, as the repository reads them. */
export interface TodayTotals {
  total: number;
  completed: number;
  /** `failed` + `budget_exceeded`. */
  failed: number;
  costUsd: number;
  /** Null when no run created today has both started and finished. */
  avgDurationSeconds: number | null;
}

const round = (value: number, places: number): number => {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
};

/**
 * completed / (completed + failed + budget_exceeded), over runs created today, to 4 places.
 * Cancelled runs are left out: a person stopped them, which says nothing about whether the
 * workflow works. Runs still queued or running have no outcome yet. 0 when nothing finished.
 */
export function successRate(completed: number, failed: number): number {
  const finished = completed + failed;
  return finished === 0 ? 0 : round(completed / finished, 4);
}

/** One entry per day of the window, oldest first; days without runs are zeros. */
export function fillDays(rows: readonly DayRunsView[], now: Date, days = RUNS_BY_DAY_DAYS): DayRunsView[] {
  const byDate = new Map(rows.map((row) => [row.date, row]));
  return lastUtcDates(now, days).map(
    (date) => byDate.get(date) ?? { date, completed: 0, failed: 0, total: 0 },
  );
}

export function toStatsView(
  today: TodayTotals,
  days: readonly DayRunsView[],
  costs: readonly WorkflowCostView[],
  now: Date,
): StatsView {
  return {
    total_runs_today: today.total,
    success_rate: successRate(today.completed, today.failed),
    // Micro-dollars: sums of floats otherwise print as 0.30000000000000004.
    total_cost_today: round(today.costUsd, 6),
    avg_duration_seconds: today.avgDurationSeconds === null ? 0 : round(today.avgDurationSeconds, 1),
    runs_by_day: fillDays(days, now),
    cost_by_workflow: costs.map((c) => ({ ...c, cost_usd: round(c.cost_usd, 6) })),
  };
}
