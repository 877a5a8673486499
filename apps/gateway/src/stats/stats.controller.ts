import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Get } from '@nestjs/common';
import { ApiAnswer, ApiErrors } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ApiController } from '../http/api-controller.decorator';
import { ReadScope } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { GetStatsUseCase } from './get-stats.use-case';
import type { StatsView } from './stats.view';

@ApiTags('stats')
@ApiController('stats')
export class StatsController {
  constructor(private readonly getStats: GetStatsUseCase) {}

  @ApiOperation({ summary: 'Dashboard numbers (today, 30 days, 7 days of cost)' })
  @ApiAnswer(200, EXAMPLES.stats)
  @ApiErrors()
  @Get()
  async get(@ReadScope() scope: TenantScope): Promise<StatsView> {
    return this.getStats.execute(scope);
  }
}
