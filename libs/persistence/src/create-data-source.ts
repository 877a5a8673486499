import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export const MIGRATIONS_TABLE_NAME = 'typeorm_migrations';

/** Used when DATABASE_URL is not set: the local development server. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/sandcastle';

export interface DataSourceOptions {
  /** Maximum connections in the pool (node-postgres default: 10). */
  poolSize?: number;
  /** Log every SQL statement (default false). */
  logging?: boolean;
  /** Shown in pg_stat_activity, so an operator can tell which app holds a connection. */
  applicationName?: string;
  /** Give up opening a connection after this long (DB_CONNECT_TIMEOUT_MS); unset/0 = wait forever. */
  connectTimeoutMs?: number;
  /** The server cancels a statement running longer (DB_STATEMENT_TIMEOUT_MS); unset/0 = none. */
  statementTimeoutMs?: number;
  /**
   * The server ends a session idle inside an open transaction this long, releasing its locks
   * (DB_IDLE_IN_TRANSACTION_TIMEOUT_MS); unset/0 = none.
   */
  idleInTransactionTimeoutMs?: number;
  /**
   * Connections in node-postgres' pipeline mode: queries issued without waiting for the one
   * before go out together and are answered in order (the orchestrator opens each transition
   * in one round trip this way). Awaited one by one, queries behave exactly as without it.
   */
  pipeline?: boolean;
}

/**
 * node-postgres settings for the pool: a connect timeout (client side), the two server-side
 * session timeouts, set at connection start so they hold for every statement on it, and
 * pipeline mode when asked for.
 */
export function poolTimeoutsOf(opts: DataSourceOptions): Record<string, number | boolean> {
  const extra: Record<string, number | boolean> = {};
  if (opts.pipeline) extra['pipeline'] = true;
  if (opts.connectTimeoutMs) extra['connectionTimeoutMillis'] = opts.connectTimeoutMs;
  if (opts.statementTimeoutMs) extra['statement_timeout'] = opts.statementTimeoutMs;
  if (opts.idleInTransactionTimeoutMs)
    extra['idle_in_transaction_session_timeout'] = opts.idleInTransactionTimeoutMs;
  return extra;
}

/**
 * A PostgreSQL DataSource with every entity and migration registered; not yet initialised.
 * The schema belongs to the migrations alone: TypeORM never synchronises it, never runs
 * migrations on connect and never tries to install extensions (that needs a superuser).
 */
export function createDataSource(url: string, opts: DataSourceOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE_NAME,
    // Each migration commits on its own, so a failure keeps the ones before it applied.
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    installExtensions: false,
    poolSize: opts.poolSize,
    logging: opts.logging ?? false,
    applicationName: opts.applicationName,
    extra: poolTimeoutsOf(opts),
  });
}
