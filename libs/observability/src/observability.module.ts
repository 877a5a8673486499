import { Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { HealthController } from './health.controller';
import { DEFAULT_HEALTH_CACHE_MS, HealthRegistry } from './health-registry';
import type { Logger } from './logger';
import { MetricsController } from './metrics.controller';
import { LOGGER, METRICS_REGISTRY, SERVICE_NAME } from './tokens';
import { flushTracing } from './tracing';

/** Sends the spans still buffered when the service shuts down (a no-op without OTLP export). */
@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}

export interface ObservabilityOptions {
  service: string;
  logger: Logger;
  registry: Registry;
  /** How long a health report is reused (default DEFAULT_HEALTH_CACHE_MS, 2 s); tests use 0. */
  healthCacheMs?: number;
}

/**
 * Global: every module of a service can inject `LOGGER`, `METRICS_REGISTRY`, `SERVICE_NAME`
 * and `HealthRegistry`. Serves `/health`, `/health/live`, `/health/ready` and `/metrics`.
 * The logger and registry are created in `main.ts` before Nest, so boot can log and count too.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: LOGGER, useValue: options.logger },
        { provide: METRICS_REGISTRY, useValue: options.registry },
        { provide: SERVICE_NAME, useValue: options.service },
        TracingShutdown,
        {
          provide: HealthRegistry,
          useFactory: () =>
            new HealthRegistry({
              logger: options.logger.child({ component: 'health' }),
              cacheMs: options.healthCacheMs ?? DEFAULT_HEALTH_CACHE_MS,
            }),
        },
      ],
      exports: [LOGGER, METRICS_REGISTRY, SERVICE_NAME, HealthRegistry],
    };
  }
}
