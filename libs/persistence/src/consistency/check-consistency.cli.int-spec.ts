import { execFile, execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../testing';
import { seedCompletedRun, type SeededRun } from './testing/consistency-fixtures';

// scripts/check-consistency.mjs run as a real process against a test database. The script loads
// the compiled library, so the library is built first (incremental: quick when up to date).
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'check-consistency.mjs');

let db: TestDatabase;
let run: SeededRun;

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-b',
      path.join(ROOT, 'libs', 'persistence', 'tsconfig.lib.json'),
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  db = await createTestDatabase();
  run = await seedCompletedRun(db.dataSource, 'cli-tenant');
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], databaseUrl = db.url): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run check:consistency', () => {
  it('exits 0 on a consistent database and says so for every check', async () => {
    const { code, stdout, stderr } = await cli([]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`check:consistency: ${db.url}`);
    expect(stdout.match(/^ {2}ok +\w+$/gm)).toHaveLength(10);
    expect(stdout).toContain('check:consistency: all 10 checks passed');

    const json = await cli(['--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, problems: [] });
  });

  it('exits 1 on a broken database and prints each problem with its examples', async () => {
    await db.dataSource.query(`UPDATE runs SET total_cost_usd = 42 WHERE id = $1`, [run.runId]);
    await db.dataSource.query(
      `INSERT INTO outbox (subject, msg_id, payload, created_at)
       VALUES ('sc.step.dispatch', $1, '{}', now() - interval '5 minutes')`,
      [`dispatch:${run.runId}:fetch:-:1`],
    );

    const { code, stdout } = await cli([]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}1 problem +run_totals_mismatch +runs whose total cost/m);
    expect(stdout).toContain(`"run_id":"${run.runId}"`);
    expect(stdout).toMatch(/^ {2}1 problem +outbox_backlog +1 outbox message\(s\) older than 60 s/m);
    expect(stdout.match(/^ {2}ok +\w+$/gm)).toHaveLength(8);
    expect(stdout).toContain('check:consistency: 2 of 10 checks failed (2 problems)');

    const json = await cli(['--json', '--run', run.runId]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p: { check: string; count: number }) => [p.check, p.count])).toEqual([
      ['run_totals_mismatch', 1],
      ['outbox_backlog', 1],
    ]);

    // Scoped away from the broken run, or with a higher outbox threshold, it is clean again.
    expect((await cli(['--tenant', 'someone-else'])).code).toBe(0);
    const scoped = await cli(['--json', '--tenant', 'cli-tenant', '--outbox-max-age-ms', '600000']);
    expect(JSON.parse(scoped.stdout).problems.map((p: { check: string }) => p.check)).toEqual([
      'run_totals_mismatch',
    ]);
  });

  it('exits 2 when it cannot check: bad arguments, an unreachable database', async () => {
    const unknown = await cli(['--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");
    const badRun = await cli(['--run', 'nope']);
    expect(badRun.code).toBe(2);
    expect(badRun.stderr).toContain('not a run id (a uuid): "nope"');
    const badAge = await cli(['--outbox-max-age-ms', 'soon']);
    expect(badAge.code).toBe(2);
    expect(badAge.stderr).toContain("--outbox-max-age-ms wants a number >= 0, got 'soon'");

    const gone = await cli([], 'postgres://postgres:secret@127.0.0.1:5432/sc_test_does_not_exist');
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(
      'could not check postgres://postgres:***@127.0.0.1:5432/sc_test_does_not_exist',
    );
    expect(gone.stderr).not.toContain('secret');
  });
});
