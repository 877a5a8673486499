import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, waitForPort } from './tcp-port';

/**
 * A nats-server with JetStream that belongs to one test file: its own port and store directory,
 * so the test can stop and restart the broker (the shared one on :4222 is never touched).
 * The store directory survives restart(); cleanup() kills the server and removes it.
 */
export interface PrivateNats {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGTERM (a graceful shutdown that flushes the store); SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** stop(), wait `pauseMs`, start() on the same port and store. Times are Date.now() values. */
  restart(pauseMs: number): Promise<{ stoppedAt: number; startedAt: number }>;
  /** The last lines of the server's log. */
  logTail(count?: number): string[];
  /** Kills the server (if running) and removes its directory. Safe to call twice. */
  cleanup(): Promise<void>;
}

function findNatsServer(): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, 'nats-server'), constants.X_OK);
      return join(dir, 'nats-server');
    } catch {
      // not here
    }
  }
  throw new Error('nats-server not found on PATH nor in /usr/sbin (apt-get install nats-server)');
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPrivateNats(): Promise<PrivateNats> {
  const binary = findNatsServer();
  const dir = mkdtempSync(join(tmpdir(), 'sc-nats-'));
  const storeDir = join(dir, 'store');
  const logFile = join(dir, 'nats.log');
  const port = await freePort();
  let child: ChildProcess | null = null;
  let removed = false;

  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const logTail = (count = 30) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(-count);
    } catch {
      return [];
    }
  };

  const start = async () => {
    if (child) throw new Error('private nats-server is already running');
    const out = openSync(logFile, 'a');
    const proc = spawn(binary, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    child = proc;
    try {
      await waitForPort(port, 15_000, () =>
        proc.exitCode !== null || proc.signalCode !== null
          ? `nats-server exited (${proc.signalCode ?? proc.exitCode}):\n${logTail().join('\n')}`
          : null,
      );
    } catch (err) {
      proc.kill('SIGKILL');
      child = null;
      throw err;
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    const gone = exited(proc);
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
    child = null;
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get running() {
      return child !== null;
    },
    start,
    stop,
    async restart(pauseMs) {
      await stop();
      const stoppedAt = Date.now();
      await new Promise((r) => setTimeout(r, pauseMs));
      await start();
      return { stoppedAt, startedAt: Date.now() };
    },
    logTail,
    async cleanup() {
      const proc = child;
      if (proc) {
        const gone = exited(proc);
        proc.kill('SIGKILL');
        await gone;
        child = null;
      }
      process.off('exit', killOnExit);
      if (!removed) rmSync(dir, { recursive: true, force: true });
      removed = true;
    },
  };
}
