import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { NatsNames } from '@sandcastle/contracts';
import { JetStreamPublisher, MessagingModule, NATS_NAMES } from '@sandcastle/messaging';
import { LOGGER, METRICS_REGISTRY, ObservabilityModule, type Logger } from '@sandcastle/observability';
import { PersistenceModule } from '@sandcastle/persistence';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './config/scheduler.config';
import { FireSchedulesUseCase } from './firing/fire-schedules.use-case';
import { ScheduleFiringRepository } from './firing/schedule-firing.repository';
import { ScheduleTicker } from './firing/schedule-ticker.service';
import { ScheduledRunStarter } from './firing/scheduled-run-starter';
import { SchedulerMetrics } from './firing/scheduler.metrics';

/**
 * The scheduler: every replica ticks, fires the schedules that are due and starts their runs.
 * The REST routes of schedules belong to the gateway; both share the run insert of
 * libs/persistence and the cron rules of libs/workflow.
 */
@Module({})
export class AppModule {
  static forRoot(config: SchedulerConfig, logger: Logger, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'scheduler', logger, registry }),
        PersistenceModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: Math.min(config.DB_POOL_SIZE, 5),
          applicationName: 'sandcastle-scheduler',
          connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
          statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        }),
        MessagingModule.forRoot({
          service: 'scheduler',
          url: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          maxDeliveries: config.MESSAGE_MAX_DELIVERIES,
        }),
      ],
      providers: [
        { provide: SCHEDULER_CONFIG, useValue: config },
        {
          provide: SchedulerMetrics,
          useFactory: (r: Registry) => new SchedulerMetrics(r),
          inject: [METRICS_REGISTRY],
        },
        {
          provide: FireSchedulesUseCase,
          useFactory: (
            db: DataSource,
            publisher: JetStreamPublisher,
            names: NatsNames,
            log: Logger,
            m: SchedulerMetrics,
          ) =>
            new FireSchedulesUseCase(
              db,
              new ScheduleFiringRepository(),
              new ScheduledRunStarter(publisher, names, log.child({ component: 'run-start' })),
              {
                batchSize: config.SCHEDULER_BATCH_SIZE,
                catchUpAfterMs: config.SCHEDULER_CATCH_UP_AFTER_MS,
                defaultMaxCostUsd: config.DEFAULT_MAX_COST_USD,
              },
              m,
              log.child({ component: 'fire' }),
            ),
          inject: [DataSource, JetStreamPublisher, NATS_NAMES, LOGGER, SchedulerMetrics],
        },
        {
          provide: ScheduleTicker,
          useFactory: (fire: FireSchedulesUseCase, m: SchedulerMetrics, log: Logger) =>
            new ScheduleTicker(fire, config.SCHEDULER_TICK_MS, m, log),
          inject: [FireSchedulesUseCase, SchedulerMetrics, LOGGER],
        },
      ],
    };
  }
}
