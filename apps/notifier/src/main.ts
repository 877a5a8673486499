import 'reflect-metadata';
import { loadDotEnv } from '@sandcastle/config';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { loadNotifierConfig } from './config/notifier.config';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadNotifierConfig();
  } catch (err) {
    createLogger('notifier').error((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger('notifier', config.LOG_LEVEL);
  await startService({
    module: AppModule.forRoot(config, logger, createMetricsRegistry('notifier')),
    service: 'notifier',
    port: config.PORT,
    logger,
  });
}

void main();
