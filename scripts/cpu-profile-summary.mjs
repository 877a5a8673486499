// Summarises the V8 CPU profiles `npm run bench` writes with BENCH_CPU_PROFILE_DIR: for each
// service, where its CPU time went, by package (ours, a dependency, node itself) and by function.
// Usage: node scripts/cpu-profile-summary.mjs DIR [TOP]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, topArg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/cpu-profile-summary.mjs DIR [TOP]');
  process.exit(2);
}
const top = Number(topArg ?? 25);

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} Profile
 */

/** Where a script belongs: a dependency's name, one of our packages, or node's internals. */
function ownerOf(/** @type {string} */ url) {
  if (url === '') return '(native / gc / idle)';
  if (url.startsWith('node:')) return 'node';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const ours = url.match(/\/(apps|libs)\/([^/]+)\//);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

/** Self time in ms per node id, from the sampled stacks. */
function selfTimes(/** @type {Profile} */ profile) {
  /** @type {Map<number, number>} */
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  return self;
}

const table = (/** @type {Map<string, number>} */ m, /** @type {number} */ total) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()) {
  /** @type {Profile} */
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  /** @type {Map<string, number>} */
  const byOwner = new Map();
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  let busy = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    busy += ms;
    const owner = ownerOf(frame.url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where} [${owner}]`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  console.log(`\n${file}: ${busy.toFixed(0)} ms busy`);
  console.log(` by package:\n${table(byOwner, busy)}`);
  console.log(` by function (self time):\n${table(byFunction, busy)}`);
}
