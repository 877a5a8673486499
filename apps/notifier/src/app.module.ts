import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MessagingModule } from '@sandcastle/messaging';
import { LOGGER, METRICS_REGISTRY, ObservabilityModule, type Logger } from '@sandcastle/observability';
import { PersistenceModule } from '@sandcastle/persistence';
import { NOTIFIER_CONFIG, type NotifierConfig } from './config/notifier.config';
import { RunEventsHandler } from './events/run-events.handler';
import { NotifierMetrics } from './notifier.metrics';
import { DeliveriesRepository } from './planning/deliveries.repository';
import { PlanDeliveriesUseCase } from './planning/plan-deliveries.use-case';
import { DeliveryDispatcher } from './sending/delivery-dispatcher.service';
import { OutboundSender } from './sending/outbound-sender';
import { SendDeliveryUseCase } from './sending/send-delivery.use-case';

/**
 * The notifier: plans deliveries from run `result` events (SC_EVENTS) and sends them, signed,
 * retried and logged, through the outbound guard. Every replica does both; the database rows
 * decide who sends what.
 */
@Module({})
export class AppModule {
  static forRoot(config: NotifierConfig, logger: Logger, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'notifier', logger, registry }),
        PersistenceModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: Math.min(config.DB_POOL_SIZE, 5),
          applicationName: 'sandcastle-notifier',
          connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
          statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        }),
        MessagingModule.forRoot({
          service: 'notifier',
          url: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          maxDeliveries: config.MESSAGE_MAX_DELIVERIES,
        }),
      ],
      controllers: [RunEventsHandler],
      providers: [
        { provide: NOTIFIER_CONFIG, useValue: config },
        {
          provide: NotifierMetrics,
          useFactory: (r: Registry) => new NotifierMetrics(r),
          inject: [METRICS_REGISTRY],
        },
        {
          provide: DeliveriesRepository,
          useFactory: (db: DataSource) => new DeliveriesRepository(db),
          inject: [DataSource],
        },
        {
          provide: PlanDeliveriesUseCase,
          useFactory: (repository: DeliveriesRepository, m: NotifierMetrics, log: Logger) =>
            new PlanDeliveriesUseCase(
              repository,
              {
                retryWindowMs: config.WEBHOOK_RETRY_WINDOW_MS,
                allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
                allowedVariables: config.WORKFLOW_ENV_ALLOWLIST,
              },
              m,
              log.child({ component: 'plan' }),
            ),
          inject: [DeliveriesRepository, NotifierMetrics, LOGGER],
        },
        {
          provide: SendDeliveryUseCase,
          useFactory: (repository: DeliveriesRepository, m: NotifierMetrics, log: Logger) =>
            new SendDeliveryUseCase(
              repository,
              new OutboundSender(config.WEBHOOK_ALLOW_PRIVATE),
              {
                secret: config.WEBHOOK_SECRET,
                timeoutMs: config.WEBHOOK_TIMEOUT_MS,
                retry: {
                  baseDelayMs: config.WEBHOOK_RETRY_BASE_MS,
                  maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
                  retryAfterMaxMs: config.WEBHOOK_RETRY_AFTER_MAX_MS,
                },
                publicBaseUrl: config.PUBLIC_BASE_URL,
              },
              m,
              log.child({ component: 'send' }),
            ),
          inject: [DeliveriesRepository, NotifierMetrics, LOGGER],
        },
        {
          provide: DeliveryDispatcher,
          useFactory: (
            repository: DeliveriesRepository,
            send: SendDeliveryUseCase,
            m: NotifierMetrics,
            log: Logger,
          ) =>
            new DeliveryDispatcher(
              repository,
              send,
              {
                pollMs: config.NOTIFIER_POLL_MS,
                concurrency: config.NOTIFIER_CONCURRENCY,
                leaseMs: config.WEBHOOK_TIMEOUT_MS + 30_000,
              },
              m,
              log.child({ component: 'dispatch' }),
            ),
          inject: [DeliveriesRepository, SendDeliveryUseCase, NotifierMetrics, LOGGER],
        },
      ],
    };
  }
}
