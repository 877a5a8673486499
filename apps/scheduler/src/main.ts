import 'reflect-metadata';
import { bootConfig } from '@sandcastle/config';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { loadSchedulerConfig } from './config/scheduler.config';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  // Config and .env problems: one readable line each on stderr, one JSON line, exit 1.
  const config = bootConfig('scheduler', () => loadSchedulerConfig(), {
    log: (message, fields) => createLogger('scheduler').error(message, fields),
  });
  const logger = createLogger('scheduler', config.LOG_LEVEL);
  await startService({
    module: AppModule.forRoot(config, logger, createMetricsRegistry('scheduler')),
    service: 'scheduler',
    port: config.PORT,
    logger,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
}

void main();
