import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { bootConfig, runtimeEndpointsOf } from '@sandcastle/config';
import { natsNames } from '@sandcastle/contracts';
import { startJetStreamConsumers, stripNamespace } from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { loadExecutorConfig } from './config/executor.config';
import { describeDefaultRuntime, describeModelRuntimes } from './runtimes/runtime-selection';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  // Config and .env problems: one readable line each on stderr, one JSON line, exit 1.
  const config = bootConfig('executor', () => loadExecutorConfig(), {
    log: (message, fields) => createLogger('executor').error(message, fields),
  });
  const logger = createLogger('executor', config.LOG_LEVEL);
  // Never silent about what runs the steps: simulated output must not pass for real agent work.
  logger.info(describeDefaultRuntime(runtimeEndpointsOf(config)), {
    executorId: config.EXECUTOR_ID,
    concurrency: config.EXECUTOR_CONCURRENCY,
  });
  logger.info(describeModelRuntimes(config.MODEL_REGISTRY_FILE, config.MODEL_KEYS));
  const registry = createMetricsRegistry('executor');
  const names = natsNames(config.NATS_NAMESPACE);
  await startService({
    module: AppModule.forRoot(config, logger, registry),
    service: 'executor',
    port: config.PORT,
    logger,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    configure: async (app: INestApplication) => {
      // Modules first (streams declared, database connected), then the consumers.
      await app.init();
      await startJetStreamConsumers(
        app,
        [
          {
            stream: names.streams.steps,
            durable: 'executor',
            ackWaitMs: config.EXECUTOR_ACK_WAIT_MS,
            maxAckPending: 10_000,
            concurrency: config.EXECUTOR_CONCURRENCY,
            // A dispatch waiting in a local buffer is not heartbeated; redelivered, it would run twice.
            prefetch: false,
            patternOf: stripNamespace(names),
          },
        ],
        config.EXECUTOR_DRAIN_TIMEOUT_MS,
      );
    },
  });
}

void main();
