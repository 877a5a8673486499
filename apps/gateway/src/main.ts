import 'reflect-metadata';
import { describeConfig, loadDotEnv } from '@sandcastle/config';
import { createLogger, createMetricsRegistry, startService } from '@sandcastle/observability';
import { AppModule } from './app.module';
import { GATEWAY_SECRETS, loadGatewayConfig, type GatewayConfig } from './config/gateway.config';
import { configureHttp } from './http/configure-http';

async function main(): Promise<void> {
  loadDotEnv();
  let config: GatewayConfig;
  try {
    config = loadGatewayConfig();
  } catch (err) {
    createLogger('gateway').error((err as Error).message);
    process.exit(1);
  }
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
