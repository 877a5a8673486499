import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { bootConfig } from '@sandcastle/config';
import { natsNames } from '@sandcastle/contracts';
import { startJetStreamConsumers, stripNamespace } from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { loadOrchestratorConfig } from './config/orchestrator.config';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  // Config and .env problems: one readable line each on stderr, one JSON line, exit 1.
  const config = bootConfig('orchestrator', () => loadOrchestratorConfig(), {
    log: (message, fields) => createLogger('orchestrator').error(message, fields),
  });
  const logger = createLogger('orchestrator', config.LOG_LEVEL);
  const registry = createMetricsRegistry('orchestrator');
  const names = natsNames(config.NATS_NAMESPACE);
  const patternOf = stripNamespace(names);
  await startService({
    module: AppModule.forRoot(config, logger, registry),
    service: 'orchestrator',
    port: config.PORT,
    logger,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    configure: async (app: INestApplication) => {
      // Modules first (streams declared, database connected), then the consumers.
      await app.init();
      await startJetStreamConsumers(app, [
        {
          stream: names.streams.commands,
          durable: 'orchestrator',
          ackWaitMs: config.ORCHESTRATOR_ACK_WAIT_MS,
          maxAckPending: 1000,
          concurrency: config.ORCHESTRATOR_CONCURRENCY,
          patternOf,
        },
        {
          stream: names.streams.results,
          durable: 'orchestrator',
          ackWaitMs: config.ORCHESTRATOR_ACK_WAIT_MS,
          maxAckPending: 5000,
          concurrency: config.ORCHESTRATOR_CONCURRENCY,
          patternOf,
        },
      ]);
    },
  });
}

void main();
