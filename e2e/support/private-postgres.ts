import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './tcp-port';

/**
 * A PostgreSQL cluster that belongs to one test file (initdb + pg_ctl from PG_BIN_DIR, default
 * /usr/lib/postgresql/15/bin), so the test can restart or stop the database without touching the
 * shared server on :5432. Trust auth on 127.0.0.1 only, a free port, data in a temp folder. As
 * root, every command runs as the `postgres` user (`runuser -u postgres --`), which owns the folder.
 */
export interface PrivatePostgres {
  readonly port: number;
  readonly dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when it resolves. */
  restart(): Promise<{ startedAt: number; readyAt: number }>;
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** The last lines of the server's log. */
  logTail(count?: number): string[];
  /** Stops the server at once (if running) and removes its folder. Safe to call twice. */
  cleanup(): Promise<void>;
}

const BIN_DIR = process.env['PG_BIN_DIR'] ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

/** The command line that runs `command` as the postgres user (or as we are, when not root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * Runs a PostgreSQL tool to its end. Output goes to `logFd` (which a server started by pg_ctl
 * inherits and keeps writing to) or is captured for the error message.
 */
function run(command: string, args: string[], logFd: number | null, timeoutMs = 60_000): Promise<string> {
  const [file, argv] = asPostgres(join(BIN_DIR, command), args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      stdio: logFd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}) ${output}`));
    });
  });
}

/** The postmaster's pid from its pid file, or null when none runs. */
function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  let removed = false;
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  // A crashed test runner must not leave a server behind: SIGQUIT is PostgreSQL's immediate stop.
  const killOnExit = () => {
    const pid = postmasterPid(dataDir);
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);

  const withLog = async <T>(fn: (fd: number) => Promise<T>): Promise<T> => {
    const fd = openSync(logFile, 'a');
    try {
      return await fn(fd);
    } finally {
      closeSync(fd);
    }
  };
  const logTail = (count = 30) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(-count);
    } catch {
      return [];
    }
  };
  const pgCtl = (args: string[]) =>
    withLog((fd) => run('pg_ctl', ['-D', dataDir, '-w', '-t', '60', ...args], fd)).catch((err: Error) => {
      throw new Error(`${err.message}\nlast lines of ${logFile}:\n${logTail().join('\n')}`);
    });

  const port = await freePort();
  try {
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], null);
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        '# private test cluster (e2e/support/private-postgres.ts)',
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        // Five services with their pools, several replicas, the test's own pool.
        'max_connections = 300',
        // Durability against OS crashes is not under test; a restart still flushes everything.
        'fsync = off',
        '',
      ].join('\n'),
    );
    await pgCtl(['start']);
  } catch (err) {
    killOnExit();
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    port,
    dataDir,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async restart() {
      const startedAt = Date.now();
      await pgCtl(['restart', '-m', 'fast']);
      return { startedAt, readyAt: Date.now() };
    },
    async stop(mode = 'fast') {
      await pgCtl(['stop', '-m', mode]);
    },
    async start() {
      await pgCtl(['start']);
    },
    logTail,
    async cleanup() {
      if (removed) return;
      if (postmasterPid(dataDir) !== null) {
        await pgCtl(['stop', '-m', 'immediate']).catch(() => killOnExit());
      }
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
      removed = true;
    },
  };
}
