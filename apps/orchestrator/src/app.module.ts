import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hostname } from 'node:os';
import type { NatsNames } from '@sandcastle/contracts';
import {
  JetStreamPublisher,
  MessagingModule,
  NATS_CONNECTION,
  NATS_NAMES,
  StoppedRuns,
} from '@sandcastle/messaging';
import type { NatsConnection } from '@nats-io/nats-core';
import { LOGGER, METRICS_REGISTRY, ObservabilityModule, type Logger } from '@sandcastle/observability';
import { PersistenceModule } from '@sandcastle/persistence';
import type { Registry } from 'prom-client';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from './config/orchestrator.config';
import { OrchestratorMetrics } from './engine/orchestrator.metrics';
import { RunEngine } from './engine/run-engine';
import { RunCommandsHandler } from './handlers/run-commands.handler';
import { StepResultsHandler } from './handlers/step-results.handler';
import { ReconcilerService } from './reconciler/reconciler.service';
import { createStorage, STORAGE, StorageModule, type StorageBackend } from '@sandcastle/storage';
import { CompletionWriter } from './engine/completion-writer';
import { RetentionSweepService } from './retention/retention-sweep.service';
import { AutovacuumCheckService } from './database/autovacuum-check.service';

@Module({})
export class AppModule {
  static forRoot(config: OrchestratorConfig, logger: Logger, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'orchestrator', logger, registry }),
        StorageModule.forRoot({ backend: createStorage(config), service: 'orchestrator' }),
        PersistenceModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'sandcastle-orchestrator',
          connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
          statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
          // Each transition's first statements go out in one round trip (transition-session.ts).
          pipeline: true,
        }),
        MessagingModule.forRoot({
          service: 'orchestrator',
          url: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          maxDeliveries: config.MESSAGE_MAX_DELIVERIES,
        }),
      ],
      controllers: [RunCommandsHandler, StepResultsHandler],
      providers: [
        { provide: ORCHESTRATOR_CONFIG, useValue: config },
        {
          provide: OrchestratorMetrics,
          useFactory: (r: Registry) => new OrchestratorMetrics(r),
          inject: [METRICS_REGISTRY],
        },
        {
          provide: StoppedRuns,
          useFactory: (nc: NatsConnection, names: NatsNames) => StoppedRuns.open(nc, names),
          inject: [NATS_CONNECTION, NATS_NAMES],
        },
        {
          provide: RunEngine,
          useFactory: (
            db: DataSource,
            publisher: JetStreamPublisher,
            names: NatsNames,
            log: Logger,
            m: OrchestratorMetrics,
            stopped: StoppedRuns,
            storage: StorageBackend,
          ) =>
            new RunEngine(
              db,
              publisher,
              {
                names,
                instanceId: `orchestrator@${hostname()}:${process.pid}`,
                lostAttemptGraceMs: config.LOST_ATTEMPT_GRACE_SECONDS * 1000,
                queueAllowanceMs: config.QUEUE_ALLOWANCE_SECONDS * 1000,
                maxBatch: config.TRANSITION_BATCH_SIZE,
                maxBatchesInFlight: config.TRANSITION_BATCHES_IN_FLIGHT,
                parallelBacklog: config.TRANSITION_PARALLEL_BACKLOG,
                maxFanOutConcurrency: config.MAX_FAN_OUT_CONCURRENCY,
                maxRunningAttemptsPerTenant: config.MAX_RUNNING_ATTEMPTS_PER_TENANT,
                outboxMaxAttempts: config.OUTBOX_MAX_PUBLISH_ATTEMPTS,
                limits: {
                  maxFanOutItems: config.MAX_FAN_OUT_ITEMS,
                  maxPromptBytes: config.MAX_PROMPT_BYTES,
                  maxEventOutputBytes: config.MAX_EVENT_OUTPUT_BYTES,
                  // Read from the server's INFO: no dispatch is queued that the broker would refuse.
                  maxMessageBytes: publisher.maxMessageBytes(),
                },
              },
              log,
              m,
              stopped,
              new CompletionWriter(storage, log),
            ),
          inject: [
            DataSource,
            JetStreamPublisher,
            NATS_NAMES,
            LOGGER,
            OrchestratorMetrics,
            StoppedRuns,
            STORAGE,
          ],
        },
        ReconcilerService,
        RetentionSweepService,
        AutovacuumCheckService,
      ],
    };
  }
}
