import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { MessagingModule } from '@sandcastle/messaging';
import { METRICS_REGISTRY, ObservabilityModule, type Logger } from '@sandcastle/observability';
import { PersistenceModule } from '@sandcastle/persistence';
import { AdminModule } from './admin/admin.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { AttemptsModule } from './attempts/attempts.module';
import { AuthModule } from './auth/auth.module';
import { CheckpointsModule } from './checkpoints/checkpoints.module';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import { DeadLetterModule } from './dead-letter/dead-letter.module';
import { FairnessModule } from './fairness/fairness.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { SandstormHealthCheck } from './health/sandstorm-health.check';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { EnvelopeInterceptor } from './http/envelope.interceptor';
import { HttpMetrics } from './http/http.metrics';
import { createValidationPipe } from './http/validation.pipe';
import { RunControlModule } from './run-control/run-control.module';
import { CreateRunUseCase } from './runs/create-run.use-case';
import { GetRunUseCase } from './runs/get-run.use-case';
import { ListRunsUseCase } from './runs/list-runs.use-case';
import { RunCompletionWaiter } from './runs/run-completion.waiter';
import { RunStartPublisher } from './runs/run-start.publisher';
import { RunSyncUseCase } from './runs/run-sync.use-case';
import { RunWorkflowController } from './runs/run-workflow.controller';
import { RunsController } from './runs/runs.controller';
import { RunsRepository } from './runs/runs.repository';
import { WorkflowResolver } from './runs/workflow-resolver.service';
import { SchedulesModule } from './schedules/schedules.module';
import { StatsModule } from './stats/stats.module';
import { StreamModule } from './stream/stream.module';
import { TrustModule } from './trust/trust.module';
import { DeleteWorkflowUseCase } from './workflows/delete-workflow.use-case';
import { GetWorkflowUseCase } from './workflows/get-workflow.use-case';
import { ListWorkflowsUseCase } from './workflows/list-workflows.use-case';
import { SaveWorkflowUseCase } from './workflows/save-workflow.use-case';
import { WorkflowVersionsService } from './workflows/workflow-versions.service';
import { WorkflowVersionsUseCase } from './workflows/workflow-versions.use-case';
import { WorkflowsController } from './workflows/workflows.controller';
import { WorkflowsDirLoader } from './workflows/workflows-dir.loader';
import { WorkflowsRepository } from './workflows/workflows.repository';

import { createStorage, StorageModule } from '@sandcastle/storage';
import { ArtifactsModule } from './artifacts/artifacts.module';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: Logger, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'gateway', logger, registry }),
        StorageModule.forRoot({ backend: createStorage(config), service: 'gateway' }),
        PersistenceModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'sandcastle-gateway',
          connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
          statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        }),
        MessagingModule.forRoot({
          service: 'gateway',
          url: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          maxDeliveries: config.MESSAGE_MAX_DELIVERIES,
        }),
        AuthModule.forRoot(config),
        TrustModule.forRoot(config),
        FairnessModule.forRoot(config),
        StreamModule,
        StatsModule,
        RunControlModule.forRoot(config),
        DeadLetterModule,
        CheckpointsModule,
        AttemptsModule,
        AdminModule,
        SchedulesModule.forRoot(config),
        DeliveriesModule,
        ApprovalsModule.forRoot(config),
        ArtifactsModule,
      ],
      // RunWorkflowController first: its `workflows/run` routes are more specific than `workflows/:name`.
      controllers: [RunWorkflowController, WorkflowsController, RunsController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: HttpMetrics, useFactory: (r: Registry) => new HttpMetrics(r), inject: [METRICS_REGISTRY] },
        EnvelopeInterceptor,
        SandstormHealthCheck,
        WorkflowsRepository,
        WorkflowVersionsService,
        ListWorkflowsUseCase,
        GetWorkflowUseCase,
        WorkflowVersionsUseCase,
        SaveWorkflowUseCase,
        DeleteWorkflowUseCase,
        WorkflowsDirLoader,
        RunsRepository,
        RunStartPublisher,
        WorkflowResolver,
        CreateRunUseCase,
        RunCompletionWaiter,
        RunSyncUseCase,
        GetRunUseCase,
        ListRunsUseCase,
      ],
    };
  }
}
