import { type DynamicModule } from '@nestjs/common';
import { type DataSourceOptions } from './create-data-source';
export interface PersistenceOptions extends DataSourceOptions {
    url: string;
}
/**
 * Global module providing the initialised TypeORM `DataSource` (inject it by its class) and the
 * `database` health check. The pool is closed last, when the application shuts down, after the
 * consumers have drained.
 */
export declare class PersistenceModule {
    static forRoot(options: PersistenceOptions): DynamicModule;
}
