#!/usr/bin/env node
// `npm run check:consistency`: verifies the orchestrator's invariants over the database of
// DATABASE_URL and prints what breaks them (libs/persistence/src/consistency/check-consistency.ts).
// Read-only: one connection, one REPEATABLE READ READ ONLY transaction (all checks see the same
// snapshot), rolled back at the end; no row locks. Exit 0: consistent; 1: problems found;
// 2: the check could not run (bad arguments, no build, database unreachable, a query failed).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'libs', 'persistence', 'dist', 'index.js');
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/sandcastle';
const require = createRequire(import.meta.url);

const USAGE = `usage: npm run check:consistency -- [options]

Checks the database of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sandcastle).

  --tenant <id>               only this tenant's runs
  --run <run id>              only this run (repeat for several)
  --outbox-max-age-ms <ms>    outbox messages older than this are a backlog (default 60000)
  --stall-after-ms <ms>       running runs idle this long with nothing in flight are stalled (default 300000)
  --examples <n>              examples per failing check (default 10)
  --json                      print the report as JSON
  -h, --help                  this text

Exit code: 0 consistent, 1 problems found, 2 the check could not run.`;

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`check:consistency: ${message}`);
  process.exit(2);
}

function number(name, value) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    fail(`--${name} wants a number >= 0, got '${value}'`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      tenant: { type: 'string' },
      run: { type: 'string', multiple: true },
      'outbox-max-age-ms': { type: 'string' },
      'stall-after-ms': { type: 'string' },
      examples: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  }).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

if (!fs.existsSync(entry)) fail(`${path.relative(root, entry)} is missing; run \`npm run build\` first`);
const { checkConsistency, CONSISTENCY_CHECKS, redactPassword: redact } = require(entry);
if (typeof checkConsistency !== 'function') {
  fail(`${path.relative(root, entry)} has no checkConsistency; run \`npm run build\` again`);
}
const { Client } = require('pg');

const options = {
  ...(args.tenant !== undefined ? { tenantId: args.tenant } : {}),
  ...(args.run !== undefined ? { runIds: args.run } : {}),
  ...(args['outbox-max-age-ms'] !== undefined
    ? { outboxMaxAgeMs: number('outbox-max-age-ms', args['outbox-max-age-ms']) }
    : {}),
  ...(args['stall-after-ms'] !== undefined
    ? { stallAfterMs: number('stall-after-ms', args['stall-after-ms']) }
    : {}),
  ...(args.examples !== undefined ? { examples: number('examples', args.examples) } : {}),
};

const target = redact(databaseUrl);
const client = new Client({
  connectionString: databaseUrl,
  application_name: 'sandcastle-check-consistency',
  connectionTimeoutMillis: 10_000,
});
client.on('error', () => undefined); // a dropped connection surfaces as the failing query's error

let report;
try {
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // Never queue behind a migration's exclusive lock (and hold up the apps behind us), never run away.
  await client.query(`SET LOCAL lock_timeout = '5s'`);
  await client.query(`SET LOCAL statement_timeout = '120s'`);
  report = await checkConsistency(async (sql, params) => (await client.query(sql, params)).rows, options);
  await client.query('ROLLBACK');
} catch (error) {
  // 42P01 undefined_table: an empty or unmigrated database.
  const cause =
    error instanceof Error ? /** @type {{ code?: string } | undefined} */ (error.cause) : undefined;
  const hint = cause?.code === '42P01' ? ' (is it migrated? `npm run migrate`)' : '';
  fail(`could not check ${target}: ${error instanceof Error ? error.message : error}${hint}`);
} finally {
  await client.end().catch(() => undefined);
}

if (args.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const scope = [
    options.tenantId !== undefined ? `tenant ${options.tenantId}` : null,
    options.runIds !== undefined ? `run(s) ${options.runIds.join(', ')}` : null,
  ].filter(Boolean);
  console.log(
    `check:consistency: ${target}${scope.length ? ` (${scope.join('; ')})` : ''} at ${report.checkedAt}`,
  );
  const width = Math.max(...report.checks.map((name) => name.length));
  const descriptions = new Map(CONSISTENCY_CHECKS.map((c) => [c.name, c.description]));
  for (const name of report.checks) {
    const problem = report.problems.find((p) => p.check === name);
    if (!problem) {
      console.log(`  ok          ${name}`);
      continue;
    }
    const label = `${problem.count} problem${problem.count === 1 ? '' : 's'}`;
    console.log(
      `  ${label.padEnd(10)}  ${name.padEnd(width)}  ${problem.description ?? descriptions.get(name)}`,
    );
    for (const example of problem.examples) console.log(`      - ${JSON.stringify(example)}`);
    if (problem.examples.length < problem.count) {
      console.log(`      … and ${problem.count - problem.examples.length} more`);
    }
  }
  const failing = report.problems.length;
  const total = report.problems.reduce((sum, p) => sum + p.count, 0);
  console.log(
    failing === 0
      ? `check:consistency: all ${report.checks.length} checks passed`
      : `check:consistency: ${failing} of ${report.checks.length} checks failed (${total} problem${total === 1 ? '' : 's'})`,
  );
}
process.exit(report.ok ? 0 : 1);
