import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './database-url.util';
import { ensureDatabase } from './ensure-database';
import { knownMigrationNames, pendingMigrations } from './pending-migrations';
import { runMigrations } from './run-migrations';
import { DEFAULT_TEST_DATABASE_ADMIN_URL } from './testing';

const ADMIN_URL = process.env['TEST_DATABASE_ADMIN_URL'] ?? DEFAULT_TEST_DATABASE_ADMIN_URL;

async function exec(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

let name: string;
let url: string;

beforeEach(() => {
  name = `sc_test_${randomBytes(8).toString('hex')}`;
  url = withDatabase(ADMIN_URL, name);
});

afterEach(async () => {
  await exec(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe('pendingMigrations (what the wait-for-schema init container waits on)', () => {
  it('lists every migration for an empty database, without creating anything', async () => {
    await ensureDatabase(url);
    expect(await pendingMigrations(url)).toEqual(knownMigrationNames());
    // Read-only: the migrations table is still missing afterwards.
    await expect(exec(url, 'SELECT 1 FROM typeorm_migrations')).rejects.toThrow(/does not exist/);
  });

  it('lists only what is not applied, and nothing once the schema is current', async () => {
    await ensureDatabase(url);
    await runMigrations(url);
    expect(await pendingMigrations(url)).toEqual([]);
    const [newest] = knownMigrationNames().slice(-1);
    await exec(url, `DELETE FROM typeorm_migrations WHERE name = '${newest}'`);
    expect(await pendingMigrations(url)).toEqual([newest]);
  });

  it('fails (so the caller retries) while the database does not exist', async () => {
    await expect(pendingMigrations(url)).rejects.toThrow(/does not exist/);
  });
});
