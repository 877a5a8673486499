// Keeps each project's tsconfig references in step with the @sandcastle/* libraries its sources
// import, so `tsc -b` builds libraries in the right order. Run: node scripts/sync-references.mjs
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const projects = [
  ...readdirSync(join(root, 'libs')).map((n) => ({ dir: `libs/${n}`, config: 'tsconfig.lib.json' })),
  ...readdirSync(join(root, 'apps')).map((n) => ({ dir: `apps/${n}`, config: 'tsconfig.app.json' })),
  ...readdirSync(join(root, 'tools')).map((n) => ({ dir: `tools/${n}`, config: 'tsconfig.lib.json' })),
].filter((p) => {
  try {
    return statSync(join(root, p.dir, p.config)).isFile();
  } catch {
    return false;
  }
});

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(full);
    return e.name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(e.name) ? [full] : [];
  });
}

let changed = 0;
for (const p of projects) {
  const libs = new Set();
  for (const file of sources(join(root, p.dir, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/from '@sandcastle\/([a-z-]+)'/g)) libs.add(m[1]);
  }
  const self = p.dir.split('/')[1];
  libs.delete(self);
  const prefix = p.dir.startsWith('libs/') ? '..' : '../../libs';
  const references = [...libs].sort().map((l) => ({ path: `${prefix}/${l}/tsconfig.lib.json` }));
  const file = join(root, p.dir, p.config);
  const config = JSON.parse(readFileSync(file, 'utf8'));
  if (JSON.stringify(config.references) !== JSON.stringify(references)) {
    config.references = references;
    writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
    changed++;
    console.log(`${p.dir}: ${[...libs].join(', ') || '(none)'}`);
  }
}
console.log(changed ? `updated ${changed} project(s)` : 'references up to date');
