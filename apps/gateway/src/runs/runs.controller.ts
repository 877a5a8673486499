import { Get, Param, Query } from '@nestjs/common';
import type { RunSummaryView, RunView } from '@sandcastle/contracts';
import { ApiController } from '../http/api-controller.decorator';
import type { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { TenantId } from '../tenancy/tenant.decorator';
import { ListRunsQuery } from './dto/list-runs.query';
import { GetRunUseCase } from './get-run.use-case';
import { ListRunsUseCase } from './list-runs.use-case';

@ApiController('runs')
export class RunsController {
  constructor(
    private readonly listRuns: ListRunsUseCase,
    private readonly getRun: GetRunUseCase,
  ) {}

  @Get()
  async list(@TenantId() tenantId: string, @Query() query: ListRunsQuery): Promise<Paged<RunSummaryView>> {
    return this.listRuns.execute(tenantId, query);
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id', UuidParamPipe) id: string): Promise<RunView> {
    return this.getRun.execute(tenantId, id);
  }
}
