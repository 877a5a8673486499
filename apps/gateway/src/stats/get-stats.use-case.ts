import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope';
import { StatsRepository } from './stats.repository';
import type { StatsView } from './stats.view';
import { toStatsView } from './stats-view.util';
import { COST_BY_WORKFLOW_DAYS, RUNS_BY_DAY_DAYS, utcDayStart } from './stats-window.util';

/** `GET /stats`: today's totals, 30 days of outcomes and 7 days of cost, for one tenant. */
@Injectable()
export class GetStatsUseCase {
  constructor(private readonly stats: StatsRepository) {}

  async execute(scope: TenantScope, now: Date = new Date()): Promise<StatsView> {
    const [today, days, costs] = await Promise.all([
      this.stats.totalsSince(scope, utcDayStart(now)),
      this.stats.runsByDay(scope, utcDayStart(now, RUNS_BY_DAY_DAYS - 1)),
      this.stats.costByWorkflow(scope, utcDayStart(now, COST_BY_WORKFLOW_DAYS - 1)),
    ]);
    return toStatsView(today, days, costs, now);
  }
}
