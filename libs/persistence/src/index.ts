// Not exported here: ./data-source (builds a DataSource on import; it is the CLI entry) and
// ./testing (test helpers, left out of the build; import them from '@sandcastle/persistence/testing').
export * from './entities';
export {
  ITEM_INDEX_TRANSFORMER,
  itemIndexFromDb,
  itemIndexToDb,
  STORED_STEP_ITEM_INDEX,
} from './columns/item-index';
export {
  MIGRATIONS,
  InitialSchema1795669714882,
  RunControl1795700000000,
  ApiKeys1795800000000,
  StepRowVersion1795900000000,
  ErrorKindLength1796100000000,
  PoisonAndFairness1796200000000,
  SchedulesAndWebhooks1796400000000,
  TraceContext1796700000000,
  OutboxPendingIndexOnly1796800000000,
} from './migrations';
export {
  createDataSource,
  DEFAULT_DATABASE_URL,
  MIGRATIONS_TABLE_NAME,
  type DataSourceOptions,
} from './create-data-source';
export { runMigrations, MIGRATION_LOCK_KEY } from './run-migrations';
export { knownMigrationNames, pendingMigrations } from './pending-migrations';
export { ensureDatabase } from './ensure-database';
export { isPgError, isPgUniqueViolation, PG_DUPLICATE_DATABASE, PG_UNIQUE_VIOLATION } from './pg-errors.util';
export { databaseNameOf, redactPassword, withDatabase } from './database-url.util';
export { PersistenceModule, type PersistenceOptions } from './persistence.module';
export * from './consistency/check-consistency';
export {
  insertQueuedRun,
  insertQueuedRunOfLatest,
  findLatestWorkflow,
  SHARED_WORKFLOWS_TENANT,
  RUN_IDEMPOTENCY_CONSTRAINT,
  RUN_SCHEDULE_FIRE_CONSTRAINT,
  type NewRun,
  type LatestWorkflowRef,
} from './runs/insert-queued-run';
export { returnedRows } from './returned-rows.util';
export type { PgClient } from './prepared-query';
