export * from './entities';
export { MIGRATIONS, InitialSchema1795669714882 } from './migrations';
export { createDataSource, DEFAULT_DATABASE_URL, MIGRATIONS_TABLE_NAME, type DataSourceOptions, } from './create-data-source';
export { runMigrations, MIGRATION_LOCK_KEY } from './run-migrations';
export { ensureDatabase } from './ensure-database';
export { isPgError, isPgUniqueViolation, PG_DUPLICATE_DATABASE, PG_UNIQUE_VIOLATION } from './pg-errors.util';
export { databaseNameOf, redactPassword, withDatabase } from './database-url.util';
export { PersistenceModule, type PersistenceOptions } from './persistence.module';
