import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Get, Param, Query } from '@nestjs/common';
import { ApiController } from '../http/api-controller.decorator';
import type { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { ReadScope } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { ATTEMPT_EXAMPLE, type AttemptView } from './attempt.view';
import { ListAttemptsQuery } from './list-attempts.query';
import { ListAttemptsUseCase } from './list-attempts.use-case';

/** Every attempt of a run's steps (the run view shows each step's latest only). */
@ApiTags('runs')
@ApiController('runs')
export class AttemptsController {
  constructor(private readonly listAttempts: ListAttemptsUseCase) {}

  @ApiOperation({ summary: "The run's finished attempts (optionally of one step), oldest first" })
  @ApiIdParam('run')
  @ApiAnswer(200, ATTEMPT_EXAMPLE, { list: true })
  @ApiErrors('VALIDATION_ERROR', 'INVALID_ID', 'RUN_NOT_FOUND')
  @Get(':id/attempts')
  async list(
    @ReadScope() scope: TenantScope,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: ListAttemptsQuery,
  ): Promise<Paged<AttemptView>> {
    return this.listAttempts.execute(scope, id, {
      stepId: query.step_id,
      limit: query.limit,
      offset: query.offset,
    });
  }
}
