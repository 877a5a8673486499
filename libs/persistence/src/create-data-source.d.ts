import { DataSource } from 'typeorm';
export declare const MIGRATIONS_TABLE_NAME = "typeorm_migrations";
/** Used when DATABASE_URL is not set: the local development server. */
export declare const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sandcastle";
export interface DataSourceOptions {
    /** Maximum connections in the pool (node-postgres default: 10). */
    poolSize?: number;
    /** Log every SQL statement (default false). */
    logging?: boolean;
    /** Shown in pg_stat_activity, so an operator can tell which app holds a connection. */
    applicationName?: string;
}
/**
 * A PostgreSQL DataSource with every entity and migration registered; not yet initialised.
 * The schema belongs to the migrations alone: TypeORM never synchronises it, never runs
 * migrations on connect and never tries to install extensions (that needs a superuser).
 */
export declare function createDataSource(url: string, opts?: DataSourceOptions): DataSource;
