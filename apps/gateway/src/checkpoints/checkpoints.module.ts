import { Module } from '@nestjs/common';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { RunsRepository } from '../runs/runs.repository';
import { CheckpointsController } from './checkpoints.controller';
import { CheckpointsRepository } from './checkpoints.repository';
import { GetCheckpointUseCase } from './get-checkpoint.use-case';
import { ListCheckpointsUseCase } from './list-checkpoints.use-case';

/**
 * Reading a run's checkpoints. Uses the runs feature's repository (stateless, so its own instance
 * is fine) to find the run in the caller's scope; the database comes from the global module.
 */
@Module({
  controllers: [CheckpointsController],
  providers: [
    EnvelopeInterceptor,
    RunsRepository,
    CheckpointsRepository,
    ListCheckpointsUseCase,
    GetCheckpointUseCase,
  ],
})
export class CheckpointsModule {}
