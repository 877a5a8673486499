import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { MessagingModule } from '@sandcastle/messaging';
import { METRICS_REGISTRY, ObservabilityModule, type Logger } from '@sandcastle/observability';
import { createStorage, StorageModule } from '@sandcastle/storage';
import { EXECUTOR_CONFIG, type ExecutorConfig } from './config/executor.config';
import { StepDispatchHandler } from './handlers/step-dispatch.handler';
import { CancelListenerService } from './steps/cancel-listener.service';
import { ExecutorMetrics } from './steps/executor.metrics';
import { ModelChainService } from './steps/model-chain.service';
import { RuntimeRegistry } from './steps/runtime-registry';
import { StepRunnerService } from './steps/step-runner.service';
import { StoppedRunsRegistry } from './steps/stopped-runs.registry';

@Module({})
export class AppModule {
  static forRoot(config: ExecutorConfig, logger: Logger, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'executor', logger, registry }),
        StorageModule.forRoot({ backend: createStorage(config), service: 'executor' }),
        MessagingModule.forRoot({
          service: 'executor',
          url: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          maxDeliveries: config.MESSAGE_MAX_DELIVERIES,
        }),
      ],
      controllers: [StepDispatchHandler],
      providers: [
        { provide: EXECUTOR_CONFIG, useValue: config },
        { provide: RuntimeRegistry, useValue: new RuntimeRegistry(config) },
        { provide: StoppedRunsRegistry, useValue: new StoppedRunsRegistry() },
        {
          provide: ExecutorMetrics,
          useFactory: (r: Registry) => new ExecutorMetrics(r),
          inject: [METRICS_REGISTRY],
        },
        ModelChainService,
        StepRunnerService,
        CancelListenerService,
      ],
    };
  }
}
