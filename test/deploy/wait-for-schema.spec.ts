import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, runMigrations, withDatabase } from '@sandcastle/persistence';
import { DEFAULT_TEST_DATABASE_ADMIN_URL } from '@sandcastle/persistence/testing';
import { REPO } from './support/deploy-files.util';

const ADMIN_URL = process.env['TEST_DATABASE_ADMIN_URL'] ?? DEFAULT_TEST_DATABASE_ADMIN_URL;

/**
 * scripts/wait-for-schema.mjs, the init container of every database app in k8s/base, run as
 * Kubernetes runs it (compiled library, DATABASE_URL from the secret) against a real PostgreSQL.
 */
describe('scripts/wait-for-schema.mjs', () => {
  const name = `sc_test_${randomBytes(8).toString('hex')}`;
  const url = withDatabase(ADMIN_URL, name);
  let child: ChildProcess | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('waits while the database is missing or not migrated, and exits 0 once the migrate job is done', async () => {
    child = spawn(process.execPath, [path.join(REPO, 'scripts/wait-for-schema.mjs')], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    const until = async (text: string) => {
      for (let i = 0; i < 100 && !output.includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain(text);
    };

    await until('cannot read');
    await ensureDatabase(url);
    await until('waiting for the migrate job');
    expect(child.exitCode).toBeNull();
    await runMigrations(url);
    expect(await exited).toBe(0);
    expect(output).toContain('has every migration of this image');
  }, 30_000);
});
