import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthRegistry } from '@sandcastle/observability';
import { createDataSource, type DataSourceOptions } from './create-data-source';

export interface PersistenceOptions extends DataSourceOptions {
  url: string;
}

class DataSourceLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register(
      'database',
      async () => {
        await this.dataSource.query('SELECT 1');
        return true;
      },
      { critical: true },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Global module providing the initialised TypeORM `DataSource` (inject it by its class) and the
 * `database` health check. The pool is closed last, when the application shuts down, after the
 * consumers have drained.
 */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          useFactory: async () => createDataSource(options.url, options).initialize(),
        },
        DataSourceLifecycle,
      ],
      exports: [DataSource],
    };
  }
}
