import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type { Registry } from 'prom-client';
import {
  HealthRegistry,
  LOGGER,
  METRICS_REGISTRY,
  metricPrefix,
  type Logger,
} from '@sandcastle/observability';
import { ResilientStorage } from './resilient-storage';
import type { StorageBackend } from './storage-backend';
import { StorageMetrics } from './storage.metrics';

/** Nest injection token of the service's `StorageBackend` (retrying, instrumented). */
export const STORAGE = 'STORAGE';

@Injectable()
class StorageHealthCheck implements OnModuleInit {
  constructor(
    @Inject(STORAGE) private readonly storage: StorageBackend,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {}

  /**
   * `/health` reports `storage` (true when the backend can be written: the local directory is
   * writable, the bucket exists or was just created). Not critical: without storage only the runs
   * that use it fail (visibly), so a replica stays ready. Checked once at boot to create the bucket.
   */
  async onModuleInit(): Promise<void> {
    this.health.register('storage', () => this.storage.check(), { critical: false });
    const ok = await this.storage.check();
    if (ok) this.logger.info('storage ready', { backend: this.storage.kind });
    else
      this.logger.warn('storage is not reachable yet; runs that use it fail until it is', {
        backend: this.storage.kind,
      });
  }
}

/**
 * Gives a service its storage: the backend the STORAGE_* variables selected (built at boot by
 * `createStorage`, whose errors stop the service), wrapped with retries and metrics.
 */
@Module({})
export class StorageModule {
  static forRoot(options: { backend: StorageBackend; service: string }): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      providers: [
        {
          provide: StorageMetrics,
          useFactory: (registry: Registry) => new StorageMetrics(registry, metricPrefix(options.service)),
          inject: [METRICS_REGISTRY],
        },
        {
          provide: STORAGE,
          useFactory: (metrics: StorageMetrics) => new ResilientStorage(options.backend, undefined, metrics),
          inject: [StorageMetrics],
        },
        StorageHealthCheck,
      ],
      exports: [STORAGE],
    };
  }
}
