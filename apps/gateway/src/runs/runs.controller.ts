import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Get, Param, Query } from '@nestjs/common';
import type { RunSummaryView, RunView } from '@sandcastle/contracts';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ApiController } from '../http/api-controller.decorator';
import type { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ReadScope } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { ListRunsQuery } from './dto/list-runs.query';
import { GetRunUseCase } from './get-run.use-case';
import { ListRunsUseCase } from './list-runs.use-case';

@ApiTags('runs')
@ApiController('runs')
export class RunsController {
  constructor(
    private readonly listRuns: ListRunsUseCase,
    private readonly getRun: GetRunUseCase,
  ) {}

  @ApiOperation({ summary: 'List runs, newest first' })
  @ApiAnswer(200, EXAMPLES.runSummary, { list: true })
  @ApiErrors('VALIDATION_ERROR')
  @Get()
  async list(@ReadScope() scope: TenantScope, @Query() query: ListRunsQuery): Promise<Paged<RunSummaryView>> {
    return this.listRuns.execute(scope, query);
  }

  @ApiOperation({ summary: 'A run with its steps' })
  @ApiIdParam('run')
  @ApiAnswer(200, EXAMPLES.run)
  @ApiErrors('INVALID_ID', 'RUN_NOT_FOUND')
  @Get(':id')
  async get(@ReadScope() scope: TenantScope, @Param('id', UuidParamPipe) id: string): Promise<RunView> {
    return this.getRun.execute(scope, id);
  }
}
