import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './database-url.util';
import { ensureDatabase } from './ensure-database';
import { MIGRATIONS } from './migrations';
import { MIGRATION_LOCK_KEY, runMigrations } from './run-migrations';
import { DEFAULT_TEST_DATABASE_ADMIN_URL } from './testing';

const ADMIN_URL = process.env['TEST_DATABASE_ADMIN_URL'] ?? DEFAULT_TEST_DATABASE_ADMIN_URL;
const ALL = MIGRATIONS.map((M) => new M().name);

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = await connect(url);
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

// Each test gets an empty database of its own (no migrations), made and dropped here.
let name: string;
let url: string;

beforeEach(() => {
  name = `sc_test_${randomBytes(8).toString('hex')}`;
  url = withDatabase(ADMIN_URL, name);
});

afterEach(async () => {
  await sql(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe('ensureDatabase', () => {
  it('creates a missing database once, then reports it as already there', async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await sql(url, 'SELECT current_database() AS db')).toEqual([{ db: name }]);
    expect(await ensureDatabase(url)).toBe(false);
  });

  it('creates it exactly once when several processes race', async () => {
    const created = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
    expect(created.filter(Boolean)).toHaveLength(1);
  });
});

describe('runMigrations', () => {
  it('applies the pending migrations and returns their names, then none', async () => {
    await ensureDatabase(url);
    expect(await runMigrations(url)).toEqual(ALL);
    expect(await runMigrations(url)).toEqual([]);
  });

  it('applies each migration once when called concurrently from several DataSources', async () => {
    await ensureDatabase(url);
    const results = await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
    expect(results.flat()).toEqual(ALL);
    expect(await sql(url, 'SELECT name FROM typeorm_migrations ORDER BY id')).toEqual(
      ALL.map((name) => ({ name })),
    );
  });

  it('waits for the migration lock before touching the schema', async () => {
    await ensureDatabase(url);
    const holder = await connect(url);
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      const migrating = runMigrations(url);

      // The migration session shows up waiting on the advisory lock…
      await waitFor(async () => {
        const waiting = await holder.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = $1 AND application_name = 'sandcastle-migrations' AND wait_event = 'advisory'`,
          [name],
        );
        return waiting.rowCount === 1;
      });
      // …and has done nothing yet.
      const tables = await holder.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(tables.rowCount).toBe(0);

      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
      expect(await migrating).toEqual(ALL);
    } finally {
      await holder.end();
    }
  });

  it('does not hold the lock after it returns', async () => {
    await ensureDatabase(url);
    await runMigrations(url);
    const [row] = await sql<{ locked: boolean }>(url, 'SELECT pg_try_advisory_lock($1::bigint) AS locked', [
      MIGRATION_LOCK_KEY,
    ]);
    expect(row?.locked).toBe(true);
  });
});
