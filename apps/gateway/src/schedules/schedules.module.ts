import { Module, type DynamicModule } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import { CreateScheduleUseCase } from './create-schedule.use-case';
import { ScheduleQueriesUseCase } from './schedule-queries.use-case';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { UpdateScheduleUseCase } from './update-schedule.use-case';

/** The REST routes of schedules; the scheduler app fires them. */
@Module({})
export class SchedulesModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: SchedulesModule,
      controllers: [SchedulesController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        EnvelopeInterceptor,
        SchedulesRepository,
        WorkflowsRepository,
        CreateScheduleUseCase,
        UpdateScheduleUseCase,
        ScheduleQueriesUseCase,
      ],
    };
  }
}
