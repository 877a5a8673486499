// A tiny service run as a child process by start-service.spec.ts. Behaviour comes from env:
// FIXTURE_HOLD_DRAIN=1 keeps onModuleDestroy from ever finishing; FIXTURE_BROKEN=1 fails boot;
// FIXTURE_SHUTDOWN_TIMEOUT_MS sets the shutdown grace.
import { Inject, Injectable, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createLogger, type Logger } from '../logger';
import { createMetricsRegistry } from '../metrics-registry';
import { ObservabilityModule } from '../observability.module';
import { startService } from '../start-service';
import { LOGGER } from '../tokens';

@Injectable()
class DrainingService implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onModuleInit(): void {
    if (process.env.FIXTURE_BROKEN === '1') throw new Error('database unreachable');
  }

  async onModuleDestroy(): Promise<void> {
    this.logger.info('draining');
    if (process.env.FIXTURE_HOLD_DRAIN === '1') await new Promise(() => setInterval(() => undefined, 1000));
    this.logger.info('drained');
  }
}

const logger = createLogger('fixture', 'info');

@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'fixture', logger, registry: createMetricsRegistry('fixture') }),
  ],
  providers: [DrainingService],
})
class FixtureModule {}

void startService({
  module: FixtureModule,
  service: 'fixture',
  port: 0,
  host: '127.0.0.1',
  logger,
  shutdownTimeoutMs: Number(process.env.FIXTURE_SHUTDOWN_TIMEOUT_MS ?? 25_000),
});
