/** One UTC day of `GET /stats` `runs_by_day`. */
export interface DayRunsView {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  completed: number;
  /** Runs that ended without success on their own: `failed` and `budget_exceeded`. */
  failed: number;
  /** Every run created that day, whatever its status. */
  total: number;
}

/** One workflow of `GET /stats` `cost_by_workflow`. */
export interface WorkflowCostView {
  workflow: string;
  cost_usd: number;
  runs: number;
}

/** `GET /stats`: the tenant's dashboard numbers; days are UTC days of `created_at`. */
export interface StatsView {
  total_runs_today: number;
  success_rate: number;
  total_cost_today: number;
  avg_duration_seconds: number;
  runs_by_day: DayRunsView[];
  cost_by_workflow: WorkflowCostView[];
}
