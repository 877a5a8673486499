import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, type DataSourceOptions } from '../create-data-source';
import { quoteIdentifier, withDatabase } from '../database-url.util';
import { runMigrations } from '../run-migrations';

export const DEFAULT_TEST_DATABASE_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Prefix of every database createTestDatabase() makes, so leftovers are easy to find. */
export const TEST_DATABASE_PREFIX = 'sc_test_';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** Initialised, on a fully migrated schema. */
  dataSource: DataSource;
  /** Destroys the DataSource and drops the database, even with other sessions still connected. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  return process.env['TEST_DATABASE_ADMIN_URL'] ?? DEFAULT_TEST_DATABASE_ADMIN_URL;
}

async function withAdminClient(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl(), application_name: 'sandcastle-test-admin' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  await withAdminClient(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
}

/**
 * A fresh, uniquely named, migrated database on the server of TEST_DATABASE_ADMIN_URL, for one
 * integration test file (or test). Call drop() in afterAll/afterEach.
 */
export async function createTestDatabase(
  options: Pick<DataSourceOptions, 'pipeline'> = {},
): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(8).toString('hex')}`;
  const url = withDatabase(adminUrl(), name);
  await withAdminClient(`CREATE DATABASE ${quoteIdentifier(name)}`);

  let dataSource: DataSource | undefined;
  try {
    await runMigrations(url);
    dataSource = await createDataSource(url, {
      poolSize: 5,
      applicationName: 'sandcastle-test',
      ...options,
    }).initialize();
  } catch (err) {
    await dropDatabase(name);
    throw err;
  }

  const ready = dataSource;
  return {
    url,
    dataSource: ready,
    async drop() {
      if (ready.isInitialized) await ready.destroy();
      await dropDatabase(name);
    },
  };
}
