import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ApiController } from '../http/api-controller.decorator';
import { clientGone } from '../http/client-gone.util';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ReadScope, TenantId } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { CancelRunUseCase } from './cancel-run.use-case';
import { ForkRunDto } from './dto/fork-run.dto';
import { ReplayRunDto } from './dto/replay-run.dto';
import { ForkRunUseCase } from './fork-run.use-case';
import { GetLineageUseCase } from './get-lineage.use-case';
import { ReplayRunUseCase } from './replay-run.use-case';
import type {
  CancelRunView,
  ForkAcceptedView,
  LineageNodeView,
  ReplayAcceptedView,
} from './run-control.views';

/** Cancel, replay, fork and lineage of a run (`/runs/{id}/…`). */
@ApiTags('runs')
@ApiController('runs')
export class RunControlController {
  constructor(
    private readonly cancelRun: CancelRunUseCase,
    private readonly replayRun: ReplayRunUseCase,
    private readonly forkRun: ForkRunUseCase,
    private readonly getLineage: GetLineageUseCase,
  ) {}

  /** 200 once cancelled; 202 `cancel_requested` if the orchestrator has not confirmed within 3 s. */
  @ApiOperation({ summary: 'Cancel a run (200 cancelled; 202 while it takes effect)' })
  @ApiIdParam('run')
  @ApiAnswer(200, EXAMPLES.cancelled)
  @ApiAnswer(202, EXAMPLES.cancelRequested, { description: 'not confirmed yet' })
  @ApiErrors('INVALID_ID', 'RUN_NOT_FOUND', 'INVALID_STATUS', 'FORBIDDEN')
  @Post(':id/cancel')
  async cancel(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CancelRunView> {
    const { view, confirmed } = await this.cancelRun.execute(tenantId, id, clientGone(res));
    res.status(confirmed ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return view;
  }

  @ApiOperation({ summary: 'Replay a run from a step' })
  @ApiIdParam('run')
  @ApiAnswer(202, EXAMPLES.replayAccepted)
  @ApiErrors(
    'VALIDATION_ERROR',
    'INVALID_ID',
    'RUN_NOT_FOUND',
    'INVALID_STEP',
    'INVALID_STATUS',
    'INVALID_WORKFLOW',
    'FORBIDDEN',
  )
  @Post(':id/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  async replay(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReplayRunDto,
  ): Promise<ReplayAcceptedView> {
    return this.replayRun.execute(tenantId, id, body.from_step);
  }

  @ApiOperation({ summary: 'Fork a run from a step with changes' })
  @ApiIdParam('run')
  @ApiAnswer(202, EXAMPLES.forkAccepted)
  @ApiErrors(
    'VALIDATION_ERROR',
    'INVALID_ID',
    'RUN_NOT_FOUND',
    'INVALID_STEP',
    'INVALID_WORKFLOW',
    'WORKFLOW_TOO_LARGE',
    'INPUT_TOO_LARGE',
    'INVALID_STATUS',
    'FORBIDDEN',
  )
  @Post(':id/fork')
  @HttpCode(HttpStatus.ACCEPTED)
  async fork(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ForkRunDto,
  ): Promise<ForkAcceptedView> {
    return this.forkRun.execute({
      tenantId,
      parentRunId: id,
      fromStep: body.from_step,
      changes: body.changes,
      input: body.input,
    });
  }

  @ApiOperation({ summary: 'The lineage tree the run belongs to, from its root' })
  @ApiIdParam('run')
  @ApiAnswer(200, EXAMPLES.lineage)
  @ApiErrors('INVALID_ID', 'RUN_NOT_FOUND')
  @Get(':id/lineage')
  async lineage(
    @ReadScope() scope: TenantScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<LineageNodeView> {
    return this.getLineage.execute(scope, id);
  }
}
