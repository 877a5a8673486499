import { Module } from '@nestjs/common';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { ListMessageDeadLettersUseCase } from './list-message-dead-letters.use-case';
import { MessageDeadLettersController } from './message-dead-letters.controller';

/** Operator routes under /admin; NATS and the logger come from the global modules. */
@Module({
  controllers: [MessageDeadLettersController],
  providers: [EnvelopeInterceptor, ListMessageDeadLettersUseCase],
})
export class AdminModule {}
