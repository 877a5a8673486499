import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { bootConfig } from '@sandcastle/config';
import { natsNames } from '@sandcastle/contracts';
import { startJetStreamConsumers } from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { loadNotifierConfig } from './config/notifier.config';
import { NOTIFIED_EVENT_TYPES, RUN_EVENTS_PATTERN } from './events/run-events.handler';
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
      // Only the two event types that lead to a delivery, filtered by the server: step progress
      // (most events) never reaches the notifier. One durable consumer per type, shared by the
      // replicas (a NATS 2.9 consumer has a single filter subject).
      await startJetStreamConsumers(
        app,
        NOTIFIED_EVENT_TYPES.map((type) => ({
          stream: names.streams.events,
          durable: `notifier-${type}`,
          filterSubject: names.runEventsOfType(type),
          // Events stored before the notifier's consumer existed are not replayed.
          startAt: 'new' as const,
          ackWaitMs: config.NOTIFIER_ACK_WAIT_MS,
          maxAckPending: 1000,
          concurrency: 16,
          patternOf: () => RUN_EVENTS_PATTERN,
        })),
      );
    },
  });
}

void main();
