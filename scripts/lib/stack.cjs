'use strict';
// The launcher: PostgreSQL + NATS (embedded when nothing runs), migrations, then the five apps as
// child processes, each waited on until GET /health/ready answers 200. Used by `npm start`,
// `npm run demo`, the benchmark and the e2e tests (types in stack.d.cts).
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const {
  httpGet,
  isPortFree,
  findFreeBasePort,
  ephemeralPortRange,
  freePort,
  sleep,
} = require('./net.util.cjs');
const {
  APPS,
  appOf,
  portOf,
  serviceNames,
  stackPortCount,
  needsDatabase,
  serviceEnv,
  defaultEntry,
} = require('./service-plan.util.cjs');
const {
  spawnService,
  trackExit,
  hasExited,
  waitExit,
  stopChild,
  killAllOnExit,
  formatTail,
} = require('./child.util.cjs');
const { ensurePostgres, ensureNats, DEFAULT_DATABASE_URL } = require('./infrastructure.util.cjs');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const POLL_MS = 200;

/**
 * Runs scripts/migrate.mjs (ensureDatabase + runMigrations) in its own process, so TypeORM never
 * loads into the launcher (or into the Jest worker that require()s it).
 * @param {{databaseUrl: string, cwd: string, log: (message: string) => void}} input
 */
async function migrate({ databaseUrl, cwd, log }) {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'migrate.mjs')], {
    cwd,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackExit(child);
  /** @type {string[]} */
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      log(line);
    });
  }
  const { code, signal } = await waitExit(child);
  if (code !== 0) {
    throw new Error(`migrations failed (exit ${code ?? signal}):\n${formatTail(output.slice(-30))}`);
  }
}

/**
 * @param {import('./stack.d.cts').StartStackOptions} [options]
 * @returns {Promise<import('./stack.d.cts').Stack>}
 */
async function startStack(options = {}) {
  const cwd = options.cwd ?? REPO_ROOT;
  const stdio = options.stdio ?? 'inherit';
  const progress = options.progress ?? stdio === 'inherit';
  const basePort = options.basePort ?? 8080;
  const natsNamespace = options.natsNamespace ?? 'sc';
  const embedded = options.embedded ?? true;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 40000;
  const entryOf = options.entry ?? ((/** @type {string} */ app) => defaultEntry(cwd, app));
  const extraEnv = Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, String(v)]));
  const names = serviceNames({
    services: options.services ?? APPS,
    executors: options.executors ?? 1,
    orchestrators: options.orchestrators ?? 1,
  });
  const abortSignal = options.signal;
  const checkAborted = () => {
    if (abortSignal?.aborted) throw new Error('startup aborted');
  };
  /** @param {string} message */
  const log = (message) => {
    if (progress) process.stderr.write(`[sandcastle] ${message}\n`);
  };

  if (!/^[a-z][a-z0-9_]*$/.test(natsNamespace)) {
    throw new Error(`natsNamespace must match [a-z][a-z0-9_]*, got '${natsNamespace}'`);
  }
  for (const app of new Set(names.map(appOf))) {
    const entry = entryOf(app);
    if (!fs.existsSync(entry)) {
      throw new Error(`${path.relative(cwd, entry) || entry} not found: run \`npm run build\` first`);
    }
  }
  for (const name of names) {
    const port = portOf(name, basePort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`port ${port} (for ${name}) is out of range: pick a lower base port (${basePort})`);
    }
    if (!(await isPortFree(port))) {
      throw new Error(
        `port ${port} (for ${name}) is already in use: is another Sandcastle running? ` +
          'Pick another base port (PORT=9080 npm start, or the basePort option).',
      );
    }
  }

  /** @type {{stop: () => Promise<void>}[]} */
  const infra = [];
  /** @type {Map<string, {child: import('node:child_process').ChildProcess, tail: () => string[], expected: boolean}>} */
  const running = new Map();
  /** @type {Map<string, import('node:child_process').ChildProcess>} */
  const processes = new Map();
  /** @type {Promise<void> | undefined} */
  let stopping;
  let databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

  /** @param {string} name */
  const urlOf = (name) => `http://127.0.0.1:${portOf(name, basePort)}`;

  /** @param {string} name */
  const startService = (name) => {
    const app = appOf(name);
    const previous = running.get(name);
    if (previous && !hasExited(previous.child)) throw new Error(`${name} is already running`);
    const env = serviceEnv({
      name,
      basePort,
      natsUrl: nats.url,
      natsNamespace,
      databaseUrl,
      cwd,
      baseEnv: process.env,
      extraEnv,
    });
    const nodeArgs = options.nodeArgs?.(name) ?? [];
    const { child, tail } = spawnService({ name, entry: entryOf(app), cwd, env, stdio, nodeArgs });
    const record = { child, tail, expected: false };
    running.set(name, record);
    processes.set(name, child);
    killAllOnExit(child);
    child.once('exit', (code, signal) => {
      if (!record.expected && !stopping) log(`${name} exited unexpectedly (${signal ?? `code ${code}`})`);
    });
    return record;
  };

  /**
   * @param {string} name
   * @param {number} [timeoutMs]
   */
  const waitReady = async (name, timeoutMs = readyTimeoutMs) => {
    const record = running.get(name);
    if (!record) throw new Error(`${name} is not part of this stack`);
    const url = `${urlOf(name)}/health/ready`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (hasExited(record.child)) {
        await waitExit(record.child); // so that its last lines have been read
        const how = record.child.signalCode ?? `code ${record.child.exitCode}`;
        throw new Error(
          `${name} exited (${how}) before it was ready. Last log lines:\n${formatTail(record.tail())}`,
        );
      }
      checkAborted();
      const last = await httpGet(url, 2000);
      if (last.status === 200) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${name} was not ready within ${timeoutMs} ms (GET ${url} → ${last.status || 'no answer'} ${last.body.slice(0, 300)}).` +
            ` Last log lines:\n${formatTail(record.tail())}`,
        );
      }
      await sleep(POLL_MS);
    }
  };

  const stopAll = async () => {
    const services = [...running.entries()].filter(([, record]) => !hasExited(record.child));
    if (services.length > 0) log(`stopping ${services.map(([name]) => name).join(', ')} (SIGTERM)`);
    await Promise.all(
      services.map(async ([name, record]) => {
        record.expected = true;
        const result = await stopChild(record.child, 'SIGTERM', stopTimeoutMs);
        if (result.forced) log(`${name} did not stop within ${stopTimeoutMs} ms; killed`);
      }),
    );
    for (const server of infra.reverse()) await server.stop();
    log('stopped');
  };

  const started = Date.now();
  /** @type {{url: string}} */
  let nats = { url: '' };
  try {
    const natsInfra = await ensureNats({
      natsUrl: options.natsUrl,
      embedded,
      installDeps: options.installDeps ?? false,
      cwd,
      log,
    });
    infra.push(natsInfra);
    nats = natsInfra;
    checkAborted();
    if (names.some(needsDatabase)) {
      const postgres = await ensurePostgres({ databaseUrl: options.databaseUrl, embedded, cwd, log });
      infra.push(postgres);
      databaseUrl = postgres.url;
      checkAborted();
      if (options.migrate ?? true) await migrate({ databaseUrl, cwd, log: (line) => log(line) });
      checkAborted();
    }
    for (const name of names) {
      log(`starting ${name} on :${portOf(name, basePort)}`);
      startService(name);
    }
    await Promise.all(names.map((name) => waitReady(name)));
    log(
      `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${names.map((n) => `${n} ${urlOf(n)}`).join(', ')}`,
    );
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }

  return {
    gatewayUrl: urlOf('gateway'),
    databaseUrl,
    natsUrl: nats.url,
    natsNamespace,
    basePort,
    services: names,
    processes,
    urlOf,
    logsOf: (name) => running.get(name)?.tail() ?? [],
    async kill(name, signal = 'SIGKILL') {
      const record = running.get(name);
      if (!record) throw new Error(`${name} is not part of this stack`);
      record.expected = true;
      if (hasExited(record.child)) return { code: record.child.exitCode, signal: record.child.signalCode };
      const exited = waitExit(record.child);
      record.child.kill(signal);
      return exited;
    },
    async start(name, { wait = true } = {}) {
      const record = startService(name);
      if (wait) await waitReady(name);
      return record.child;
    },
    waitReady,
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

module.exports = {
  startStack,
  findFreeBasePort,
  ephemeralPortRange,
  freePort,
  stackPortCount,
  APPS,
  portOf,
  serviceNames,
  REPO_ROOT,
};
