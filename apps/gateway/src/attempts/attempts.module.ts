import { Module } from '@nestjs/common';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { RunsRepository } from '../runs/runs.repository';
import { AttemptsController } from './attempts.controller';
import { ListAttemptsUseCase } from './list-attempts.use-case';

/** Reading a run's attempts; finds the run through the runs feature's (stateless) repository. */
@Module({
  controllers: [AttemptsController],
  providers: [EnvelopeInterceptor, RunsRepository, ListAttemptsUseCase],
})
export class AttemptsModule {}
