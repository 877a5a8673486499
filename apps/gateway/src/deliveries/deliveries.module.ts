import { Module } from '@nestjs/common';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { RunsRepository } from '../runs/runs.repository';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesUseCase } from './deliveries.use-case';

/** Reading and re-sending webhook deliveries; the notifier sends them. */
@Module({
  controllers: [DeliveriesController],
  providers: [EnvelopeInterceptor, DeliveriesRepository, RunsRepository, DeliveriesUseCase],
})
export class DeliveriesModule {}
