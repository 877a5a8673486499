import 'reflect-metadata';
import { loadDotEnv } from '@sandcastle/config';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { loadSchedulerConfig } from './config/scheduler.config';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadSchedulerConfig();
  } catch (err) {
    createLogger('scheduler').error((err as Error).message);
    process.exit(1);
  }
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
