import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { bootConfig } from '@sandcastle/config';
import { natsNames } from '@sandcastle/contracts';
import { startJetStreamConsumers } from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { loadNotifierConfig } from './config/notifier.config';
import { NOTIFICATIONS_PATTERN } from './events/run-events.handler';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  // Config and .env problems: one readable line each on stderr, one JSON line, exit 1.
  const config = bootConfig('notifier', () => loadNotifierConfig(), {
    log: (message, fields) => createLogger('notifier').error(message, fields),
  });
  const logger = createLogger('notifier', config.LOG_LEVEL);
  if (!config.WEBHOOK_SECRET) {
    logger.warn('WEBHOOK_SECRET is not set: webhooks are sent without X-Sandcastle-Signature');
  } else if (config.WEBHOOK_SECRET.length < 32) {
    logger.warn(
      'WEBHOOK_SECRET is shorter than 32 characters: use a long random value (openssl rand -hex 32)',
    );
  }
  const names = natsNames(config.NATS_NAMESPACE);
  await startService({
    module: AppModule.forRoot(config, logger, createMetricsRegistry('notifier')),
    service: 'notifier',
    port: config.PORT,
    logger,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    configure: async (app: INestApplication) => {
      await app.init();
      // The orchestrator sends a run's result (and approval requests) here only when the run has
      // a delivery target: runs nobody is to hear of never wake the notifier. One durable
      // consumer, shared by the replicas; each message is deleted once acked (work queue).
      await startJetStreamConsumers(app, [
        {
          stream: names.streams.notifications,
          durable: 'notifier',
          ackWaitMs: config.NOTIFIER_ACK_WAIT_MS,
          maxAckPending: 1000,
          concurrency: 16,
          patternOf: () => NOTIFICATIONS_PATTERN,
        },
      ]);
    },
  });
}

void main();
