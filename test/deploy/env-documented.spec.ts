import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway.config';
import { loadStreamConfig } from '../../apps/gateway/src/stream/stream.config';
import { loadOrchestratorConfig } from '../../apps/orchestrator/src/config/orchestrator.config';
import { loadExecutorConfig } from '../../apps/executor/src/config/executor.config';
import { loadSchedulerConfig } from '../../apps/scheduler/src/config/scheduler.config';
import { loadNotifierConfig } from '../../apps/notifier/src/config/notifier.config';
import { REPO, readRepoFile } from './support/deploy-files.util';

// Documented variables and read variables are the same set (docs/contributing.md, "Docs that
// cannot drift"). Documented: `.env.example` and the tables of docs/configuration.md. Read: what
// the five services' config loaders look up, plus `process.env.X` / `env['X']` in the code of
// the apps, libraries, CLI and launcher scripts (not tests), plus `${X}` in docker-compose.yml
// for the compose-only section.

/** Called with a source that records every name looked up; a loader that then throws is fine. */
function namesLookedUp(load: (source: Record<string, string | undefined>) => unknown): string[] {
  const names = new Set<string>();
  const source = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, key) => {
        if (typeof key === 'string') names.add(key);
        return undefined;
      },
    },
  );
  try {
    load(source);
  } catch {
    // required variables are missing in an empty environment: every name was still looked up
  }
  return [...names].filter((name) => /^[A-Z][A-Z0-9_]*$/.test(name));
}

const LOADERS = [
  loadGatewayConfig,
  loadStreamConfig,
  loadOrchestratorConfig,
  loadExecutorConfig,
  loadSchedulerConfig,
  loadNotifierConfig,
];

const CODE_DIRS = ['apps', 'libs', 'tools', 'scripts'];
const NOT_CODE = /(\.spec\.ts|\.int-spec\.ts|\.d\.ts|\.d\.cts)$|\/(dist|node_modules|testing|fixtures)\//;

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['dist', 'node_modules', 'testing', 'fixtures'].includes(entry.name)) out.push(...codeFiles(full));
    } else if (/\.(ts|tsx|mjs|cjs|js)$/.test(entry.name) && !NOT_CODE.test(full)) {
      out.push(full);
    }
  }
  return out;
}

/** `process.env.X`, `process.env['X']` and `env['X']` (the CLI gets the environment passed in). */
function namesReadInCode(): Map<string, string> {
  const read = new Map<string, string>();
  const pattern = /\b(?:process\.env\.([A-Z][A-Z0-9_]*)|(?:process\.)?env\[['"]([A-Z][A-Z0-9_]*)['"]\])/g;
  for (const dir of CODE_DIRS) {
    for (const file of codeFiles(path.join(REPO, dir))) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(pattern)) {
        const name = match[1] ?? match[2]!;
        if (!read.has(name)) read.set(name, path.relative(REPO, file));
      }
    }
  }
  return read;
}

/** Read by code but not configuration anyone sets: each with why it needs no documentation. */
const INTERNAL: Record<string, string> = {
  PATH: "the system's search path (nats-server lookup)",
  SC_PG_DIR: 'from the launcher to its embedded-PostgreSQL helper process',
  SC_PG_PORT: 'from the launcher to its embedded-PostgreSQL helper process',
  SC_PG_PASSWORD: 'from the launcher to its embedded-PostgreSQL helper process',
  APP: "the Dockerfile's build argument, read by the image's healthcheck",
  SANDCASTLE_SERVICE: 'set by the launcher on each child: which service it is',
};

const ASSIGNMENT = /^#?\s*([A-Z][A-Z0-9_]*)=/;
const envExample = readRepoFile('.env.example').split('\n');
const composeOnlyStart = envExample.findIndex((line) => line.includes('docker compose only'));
const namesIn = (lines: string[]) =>
  lines.map((line) => ASSIGNMENT.exec(line)?.[1]).filter((name): name is string => name !== undefined);
const envExampleNames = namesIn(composeOnlyStart < 0 ? envExample : envExample.slice(0, composeOnlyStart));
const composeOnlyNames = composeOnlyStart < 0 ? [] : namesIn(envExample.slice(composeOnlyStart));

/** The names in the first cell of every table row of docs/configuration.md (`A`, or `A`, `B`). */
const configurationDocNames = [...readRepoFile('docs/configuration.md').matchAll(/^\|([^|]*)\|/gm)].flatMap(
  (row) => [...row[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!),
);

/** The benchmark's knobs are documented with the benchmark (docs/benchmarks.md), not as configuration. */
const benchmarkDocNames = [...readRepoFile('docs/benchmarks.md').matchAll(/^\|([^|]*)\|/gm)].flatMap((row) =>
  [...row[1]!.matchAll(/`(BENCH_[A-Z0-9_]*)`/g)].map((match) => match[1]!),
);

const readByServices = new Set(LOADERS.flatMap((load) => namesLookedUp(load)));
const readInCode = namesReadInCode();
const read = new Set([...readByServices, ...readInCode.keys()]);
const documented = new Set([...envExampleNames, ...configurationDocNames, ...benchmarkDocNames]);

describe('environment variables: documented = read', () => {
  it('finds the variables of every service and of the launcher and CLI', () => {
    for (const name of [
      'NATS_URL',
      'DATABASE_URL',
      'PORT',
      'EXECUTOR_CONCURRENCY',
      'WEBHOOK_SECRET',
      'SCHEDULER_TICK_MS',
    ]) {
      expect(readByServices).toContain(name);
    }
    for (const name of ['SANDCASTLE_URL', 'SANDCASTLE_API_KEY', 'DEMO_TIMEOUT_S', 'SANDCASTLE_EXECUTORS']) {
      expect(readInCode.keys()).toContain(name);
    }
    expect(documented.size).toBeGreaterThan(60);
  });

  it('documents every variable the services, the launcher and the CLI read', () => {
    const undocumented = [...read]
      .filter((name) => !documented.has(name) && !(name in INTERNAL))
      .map((name) => `${name} (read in ${readInCode.get(name) ?? 'a service config'})`);
    expect(undocumented).toEqual([]);
  });

  it('reads every benchmark knob docs/benchmarks.md documents', () => {
    expect(benchmarkDocNames.length).toBeGreaterThan(5);
    expect(benchmarkDocNames.filter((name) => !readInCode.has(name))).toEqual([]);
  });

  it('reads every variable .env.example and docs/configuration.md document', () => {
    const unread = [...documented].filter((name) => !read.has(name));
    expect(unread).toEqual([]);
  });

  it('documents both the service and the CLI variables in docs/configuration.md, not only .env.example', () => {
    const onlyInExample = envExampleNames.filter((name) => !configurationDocNames.includes(name));
    expect(onlyInExample).toEqual([]);
  });

  it('uses every compose-only variable in docker-compose.yml', () => {
    const compose = readRepoFile('docker-compose.yml');
    const unused = composeOnlyNames.filter((name) => !compose.includes(`\${${name}`));
    expect(composeOnlyNames.length).toBeGreaterThan(0);
    expect(unused).toEqual([]);
  });
});
