#!/usr/bin/env node
// Init container of every app that uses the database (k8s/base): waits until the database has
// every migration this image knows, then exits 0 so the app starts. The migrate Job applies them;
// this only reads. A new version's pods therefore never serve on an old schema, while the old
// pods keep serving until the new ones are ready (docs/operations.md § Upgrades).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'libs', 'persistence', 'dist', 'index.js');
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/sandcastle';
const INTERVAL_MS = 1000;

if (!fs.existsSync(entry)) {
  console.error(`wait-for-schema: ${path.relative(root, entry)} is missing; run \`npm run build\` first`);
  process.exit(1);
}

const { pendingMigrations, redactPassword: redact } = createRequire(import.meta.url)(entry);
const target = redact(databaseUrl);
let lastReport = '';

for (;;) {
  let report;
  try {
    const pending = await pendingMigrations(databaseUrl);
    if (pending.length === 0) {
      console.log(`wait-for-schema: ${target} has every migration of this image`);
      process.exit(0);
    }
    report = `waiting for the migrate job: ${pending.length} migration(s) not applied yet (${pending.join(', ')})`;
  } catch (error) {
    report = `cannot read ${target} yet: ${error instanceof Error ? error.message : error}`;
  }
  // Say it once per change, not every second.
  if (report !== lastReport) console.log(`wait-for-schema: ${report}`);
  lastReport = report;
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
}
