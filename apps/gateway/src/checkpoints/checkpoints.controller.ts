import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Get, Param } from '@nestjs/common';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ReadScope } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { CHECKPOINT_EXAMPLES } from './checkpoint.examples';
import { CheckpointSeqPipe } from './checkpoint-seq.pipe';
import type { CheckpointStateView, CheckpointView } from './checkpoint.views';
import { GetCheckpointUseCase } from './get-checkpoint.use-case';
import { ListCheckpointsUseCase } from './list-checkpoints.use-case';

/** A run's checkpoints (`/runs/{id}/checkpoints…`): reads only, so the admin key may use them too. */
@ApiTags('runs')
@ApiController('runs')
export class CheckpointsController {
  constructor(
    private readonly listCheckpoints: ListCheckpointsUseCase,
    private readonly getCheckpoint: GetCheckpointUseCase,
  ) {}

  @ApiOperation({
    summary: "The run's checkpoints: one per completed, skipped or dead-lettered row, in order",
  })
  @ApiIdParam('run')
  @ApiAnswer(200, CHECKPOINT_EXAMPLES.checkpoint, { list: true })
  @ApiErrors('INVALID_ID', 'RUN_NOT_FOUND')
  @Get(':id/checkpoints')
  async list(
    @ReadScope() scope: TenantScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<Paged<CheckpointView>> {
    return Paged.all(await this.listCheckpoints.execute(scope, id));
  }

  @ApiOperation({ summary: "The run's outputs and costs right after completion {seq}" })
  @ApiIdParam('run')
  @ApiParam({
    name: 'seq',
    description: "a checkpoint's seq: 1 up to the run's number of checkpoints so far",
    schema: { type: 'integer', minimum: 1 },
    example: 2,
  })
  @ApiAnswer(200, CHECKPOINT_EXAMPLES.checkpointState)
  @ApiErrors('VALIDATION_ERROR', 'INVALID_ID', 'RUN_NOT_FOUND')
  @Get(':id/checkpoints/:seq')
  async get(
    @ReadScope() scope: TenantScope,
    @Param('id', UuidParamPipe) id: string,
    @Param('seq', CheckpointSeqPipe) seq: number,
  ): Promise<CheckpointStateView> {
    return this.getCheckpoint.execute(scope, id, seq);
  }
}
