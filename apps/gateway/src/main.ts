import 'reflect-metadata';
import { bootConfig, describeConfig } from '@sandcastle/config';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { AppModule } from './app.module';
import { GATEWAY_SECRETS, loadGatewayConfig } from './config/gateway.config';
import { configureHttp } from './http/configure-http';

async function main(): Promise<void> {
  // Config and .env problems: one readable line each on stderr, one JSON line, exit 1.
  const config = bootConfig('gateway', () => loadGatewayConfig(), {
    log: (message, fields) => createLogger('gateway').error(message, fields),
  });
  const logger = createLogger('gateway', config.LOG_LEVEL);
  logger.info('configuration', describeConfig(config, GATEWAY_SECRETS));
  const registry = createMetricsRegistry('gateway');
  await startService({
    module: AppModule.forRoot(config, logger, registry),
    service: 'gateway',
    port: config.PORT,
    logger,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    configure: (app) => configureHttp(app, config),
  });
}

void main();
