#!/usr/bin/env node
// `npm run migrate`: create the database if it is missing, then apply pending migrations.
// The apps never migrate on their own (several replicas would race); this script is what the
// launcher, the compose `migrate` service and the Kubernetes Job run before the apps start.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'libs', 'persistence', 'dist', 'index.js');
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/sandcastle';

if (!fs.existsSync(entry)) {
  console.error(`migrate: ${path.relative(root, entry)} is missing; run \`npm run build\` first`);
  process.exit(1);
}

const { ensureDatabase, runMigrations, redactPassword: redact } = createRequire(import.meta.url)(entry);

try {
  const target = redact(databaseUrl);
  if (await ensureDatabase(databaseUrl)) console.log(`migrate: created database ${target}`);
  const applied = await runMigrations(databaseUrl);
  if (applied.length === 0) {
    console.log(`migrate: ${target} is up to date`);
  } else {
    console.log(`migrate: applied ${applied.length} migration(s) to ${target}:`);
    for (const name of applied) console.log(`  - ${name}`);
  }
} catch (error) {
  console.error(
    `migrate: failed on ${redact(databaseUrl)}: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
}
// Exit explicitly: a connection pool left open by the library must not keep a one-shot job alive.
process.exit(0);
