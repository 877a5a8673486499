'use strict';
// PostgreSQL and NATS for a stack: use what the caller points at, or what answers at the default
// address, or — only when neither — start an embedded one under .sandcastle/ so that
// `npm run demo` works on a machine with nothing installed but Node (and nats-server).
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { isListening, isPortFree, freePort, hostPortOf, redactUrl, sleep } = require('./net.util.cjs');
const { trackExit, hasExited, stopChild, killAllOnExit, formatTail } = require('./child.util.cjs');
const { which, missingNatsMessage, installNatsServer } = require('./nats-install.util.cjs');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/sandcastle';
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
// The embedded cluster is local-only (127.0.0.1, no Unix socket); its password is not a secret.
const EMBEDDED_PG_PASSWORD = 'postgres';

/**
 * @typedef {{url: string, embedded: boolean, stop: () => Promise<void>}} Infra
 * @typedef {(message: string) => void} Log
 */

/** @param {string} cwd @param {string} name */
function logFile(cwd, name) {
  const dir = path.join(cwd, '.sandcastle', 'logs');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.log`);
}

/** Last lines of a log file, for error messages. @param {string} file */
function fileTail(file, count = 30) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-16000).split('\n').filter(Boolean).slice(-count);
  } catch {
    return [];
  }
}

/**
 * @param {{databaseUrl?: string, embedded: boolean, cwd: string, log: Log}} input
 * @returns {Promise<Infra>}
 */
async function ensurePostgres({ databaseUrl, embedded, cwd, log }) {
  const explicit = databaseUrl ?? process.env.DATABASE_URL;
  if (explicit) {
    log(`PostgreSQL: ${redactUrl(explicit)}`);
    return { url: explicit, embedded: false, stop: async () => {} };
  }
  const { host, port } = hostPortOf(DEFAULT_DATABASE_URL, 5432);
  if (await isListening(host, port)) {
    log(`PostgreSQL: ${DEFAULT_DATABASE_URL} (already running)`);
    return { url: DEFAULT_DATABASE_URL, embedded: false, stop: async () => {} };
  }
  if (!embedded) {
    throw new Error(`PostgreSQL: nothing answers at ${host}:${port}; start PostgreSQL or set DATABASE_URL`);
  }
  const pgPort = (await isPortFree(port)) ? port : await freePort();
  const dataDir = path.join(cwd, '.sandcastle', 'postgres');
  const file = logFile(cwd, 'postgres');
  log(`PostgreSQL: nothing at ${host}:${port}; starting embedded PostgreSQL 18 on 127.0.0.1:${pgPort}`);
  log(`  log in ${path.relative(cwd, file)}`);
  const out = fs.openSync(file, 'a');
  // A separate process owns the cluster (and, run by root, decides where the postgres user can
  // reach binaries and data: the data may then live outside .sandcastle/, and it says so).
  const child = spawn(process.execPath, [path.join(__dirname, 'embedded-postgres-runner.mjs')], {
    cwd,
    env: {
      ...process.env,
      SC_PG_DIR: dataDir,
      SC_PG_PORT: String(pgPort),
      SC_PG_PASSWORD: EMBEDDED_PG_PASSWORD,
    },
    stdio: ['ignore', 'pipe', out],
    detached: true,
  });
  fs.closeSync(out);
  trackExit(child);
  killAllOnExit(child);
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 120000);
    if (child.stdout) {
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('note: ')) log(`  ${line.slice('note: '.length)}`);
        if (line.trim() === 'ready') {
          clearTimeout(timer);
          resolve(true);
        }
      });
    }
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    await stopChild(child, 'SIGTERM', 15000);
    throw new Error(
      `embedded PostgreSQL did not start. Last lines of ${file}:\n${formatTail(fileTail(file))}`,
    );
  }
  const url = `postgres://postgres:${EMBEDDED_PG_PASSWORD}@127.0.0.1:${pgPort}/sandcastle`;
  return {
    url,
    embedded: true,
    stop: async () => {
      await stopChild(child, 'SIGTERM', 20000);
    },
  };
}

/**
 * nats-server from PATH; Debian installs it in /usr/sbin, which is not on a normal user's PATH.
 * @returns {string | undefined}
 */
function findNatsServer() {
  return which('nats-server', [process.env.PATH ?? '', '/usr/sbin', '/usr/local/sbin'].join(path.delimiter));
}

/**
 * @param {{natsUrl?: string, embedded: boolean, installDeps?: boolean, cwd: string, log: Log}} input
 * @returns {Promise<Infra>}
 */
async function ensureNats({ natsUrl, embedded, installDeps = false, cwd, log }) {
  const explicit = natsUrl ?? process.env.NATS_URL;
  if (explicit) {
    log(`NATS: ${redactUrl(explicit)}`);
    return { url: explicit, embedded: false, stop: async () => {} };
  }
  const { host, port } = hostPortOf(DEFAULT_NATS_URL, 4222);
  if (await isListening(host, port)) {
    log(`NATS: ${DEFAULT_NATS_URL} (already running)`);
    return { url: DEFAULT_NATS_URL, embedded: false, stop: async () => {} };
  }
  if (!embedded)
    throw new Error(`NATS: nothing answers at ${host}:${port}; start nats-server or set NATS_URL`);
  let binary = findNatsServer();
  if (!binary && installDeps) {
    log('NATS: no nats-server on PATH; installing it (--install-deps)');
    if (installNatsServer(log)) binary = findNatsServer();
  }
  if (!binary) throw new Error(missingNatsMessage(DEFAULT_NATS_URL));
  const storeDir = path.join(cwd, '.sandcastle', 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const file = logFile(cwd, 'nats');
  log(`NATS: nothing at ${host}:${port}; starting ${binary} with JetStream (store in .sandcastle/nats)`);
  const out = fs.openSync(file, 'a');
  const child = spawn(binary, ['-js', '-sd', storeDir, '-a', host, '-p', String(port)], {
    cwd,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  trackExit(child);
  killAllOnExit(child);
  const deadline = Date.now() + 15000;
  while (!(await isListening(host, port, 500))) {
    if (hasExited(child) || Date.now() > deadline) {
      await stopChild(child, 'SIGTERM', 5000);
      throw new Error(`nats-server did not start. Last lines of ${file}:\n${formatTail(fileTail(file))}`);
    }
    await sleep(100);
  }
  return {
    url: DEFAULT_NATS_URL,
    embedded: true,
    stop: async () => {
      await stopChild(child, 'SIGTERM', 10000);
    },
  };
}

module.exports = { ensurePostgres, ensureNats, findNatsServer, DEFAULT_DATABASE_URL, DEFAULT_NATS_URL };
