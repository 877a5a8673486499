import { Module } from '@nestjs/common';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { RunStartPublisher } from '../runs/run-start.publisher';
import { RunsRepository } from '../runs/runs.repository';
import { DeadLetterController } from './dead-letter.controller';
import { DeadLetterRepository } from './dead-letter.repository';
import { ListDeadLetterUseCase } from './list-dead-letter.use-case';
import { ResolveDeadLetterUseCase } from './resolve-dead-letter.use-case';
import { RetryDeadLetterUseCase } from './retry-dead-letter.use-case';

/** The dead letter queue; the database, NATS and the logger come from the global modules. */
@Module({
  controllers: [DeadLetterController],
  providers: [
    EnvelopeInterceptor,
    DeadLetterRepository,
    RunsRepository,
    RunStartPublisher,
    ListDeadLetterUseCase,
    RetryDeadLetterUseCase,
    ResolveDeadLetterUseCase,
  ],
})
export class DeadLetterModule {}
