#!/usr/bin/env node
// `npm run docs:metrics`: writes docs/metrics.md from the metric registrations of the five
// services (apps/<app>/src/<app>.metric-sets.ts, compiled), without starting any of them.
// `--check` only compares and exits 1 when the file is out of date.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const APPS = ['gateway', 'orchestrator', 'executor', 'scheduler', 'notifier'];
const target = path.join(root, 'docs', 'metrics.md');

function load(relative) {
  const file = path.join(root, relative);
  if (!fs.existsSync(file)) {
    console.error(`docs:metrics: ${relative} is missing; run \`npm run build\` first`);
    process.exit(1);
  }
  return require(file);
}

const { catalogueService, renderMetricsCatalogue } = load('libs/observability/dist/index.js');
const catalogues = APPS.map((app) => {
  const exported = Object.values(load(`apps/${app}/dist/${app}.metric-sets.js`));
  if (exported.length !== 1) throw new Error(`${app}.metric-sets must export exactly one list`);
  return catalogueService(app, exported[0]);
});
const text = renderMetricsCatalogue(catalogues);

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error('docs:metrics: docs/metrics.md is out of date; run `npm run docs:metrics`');
    process.exit(1);
  }
  console.log('docs:metrics: docs/metrics.md is up to date');
} else {
  fs.writeFileSync(target, text);
  const count = catalogues.reduce((n, c) => n + c.metrics.length, 0);
  console.log(
    `docs:metrics: wrote docs/metrics.md (${count} service metrics, ${catalogues[0].processMetrics.length} process metrics each)`,
  );
}
