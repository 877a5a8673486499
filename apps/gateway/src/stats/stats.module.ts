import { Module } from '@nestjs/common';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { GetStatsUseCase } from './get-stats.use-case';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';

/** `GET /stats`; the DataSource comes from the global persistence module. */
@Module({
  controllers: [StatsController],
  providers: [EnvelopeInterceptor, StatsRepository, GetStatsUseCase],
})
export class StatsModule {}
