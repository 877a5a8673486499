import { Client } from 'pg';
import { MIGRATIONS_TABLE_NAME } from './create-data-source';
import { MIGRATIONS } from './migrations';
import { isPgError } from './pg-errors.util';

const PG_UNDEFINED_TABLE = '42P01';

/** Names of the migrations this build knows, as TypeORM records them once applied. */
export function knownMigrationNames(): string[] {
  return MIGRATIONS.map((M) => new M().name ?? M.name);
}

/**
 * The migrations this build knows that the database at `url` has not applied yet (empty: the
 * schema is current). Read-only: it never creates the migrations table or applies anything, so
 * many pods may ask at once while the migrate Job works. A database without the migrations
 * table has applied none. Connection errors are thrown (the caller retries).
 */
export async function pendingMigrations(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url, application_name: 'sandcastle-wait-for-schema' });
  await client.connect();
  try {
    let applied: Set<string>;
    try {
      const rows = (await client.query(`SELECT name FROM "${MIGRATIONS_TABLE_NAME}"`)).rows as {
        name: string;
      }[];
      applied = new Set(rows.map((row) => row.name));
    } catch (err) {
      if (!isPgError(err, PG_UNDEFINED_TABLE)) throw err;
      applied = new Set();
    }
    return knownMigrationNames().filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}
