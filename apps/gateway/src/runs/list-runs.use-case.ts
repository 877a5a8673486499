import { Injectable } from '@nestjs/common';
import type { RunSummaryView } from '@sandcastle/contracts';
import { Paged } from '../http/paged';
import type { TenantScope } from '../tenancy/tenant-scope';
import type { ListRunsQuery } from './dto/list-runs.query';
import { toRunSummaryView } from './run-view.util';
import { RunsRepository } from './runs.repository';

/** `GET /runs`: newest first, filtered, one page plus the total. */
@Injectable()
export class ListRunsUseCase {
  constructor(private readonly runs: RunsRepository) {}

  async execute(scope: TenantScope, query: ListRunsQuery): Promise<Paged<RunSummaryView>> {
    const [rows, total] = await this.runs.list(
      scope,
      {
        status: query.status,
        workflowName: query.workflow,
        since: query.since === undefined ? undefined : new Date(query.since),
        until: query.until === undefined ? undefined : new Date(query.until),
        parentRunId: query.parent_run_id,
        scheduleId: query.schedule_id,
      },
      query.limit,
      query.offset,
    );
    return new Paged(rows.map(toRunSummaryView), { total, limit: query.limit, offset: query.offset });
  }
}
