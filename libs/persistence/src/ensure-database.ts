import { Client } from 'pg';
import { databaseNameOf, quoteIdentifier, withDatabase } from './database-url.util';
import { isPgError, isPgUniqueViolation, PG_DUPLICATE_DATABASE } from './pg-errors.util';

/** The maintenance database every PostgreSQL server has, used to create the others. */
const MAINTENANCE_DATABASE = 'postgres';

/**
 * Creates the database `url` points at if it does not exist yet, connecting to the `postgres`
 * maintenance database of the same server with the same credentials. Returns true when it
 * created the database. Safe to race: losing to another creator counts as "already there".
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const database = databaseNameOf(url);
  const client = new Client({
    connectionString: withDatabase(url, MAINTENANCE_DATABASE),
    application_name: 'sandcastle-ensure-database',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount !== 0) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
      return true;
    } catch (err) {
      // A concurrent CREATE DATABASE surfaces as either error, depending on who got how far.
      if (isPgError(err, PG_DUPLICATE_DATABASE) || isPgUniqueViolation(err)) return false;
      throw err;
    }
  } finally {
    await client.end();
  }
}
