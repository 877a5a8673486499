import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { MessagingModule } from '@sandcastle/messaging';
import { ObservabilityModule, type Logger } from '@sandcastle/observability';
import { PersistenceModule } from '@sandcastle/persistence';
import type { SchedulerConfig } from './config/scheduler.config';

/**
 * The scheduler boots with its connections, health and metrics so it can be deployed and scaled
 * today; its features arrive in their own issue (see docs/architecture.md).
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
    };
  }
}
