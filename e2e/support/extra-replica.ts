import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { findFreeBasePort, REPO_ROOT } from '../../scripts/lib/stack.cjs';
import type { E2eStack } from './e2e-stack';

/** One more replica of an app, started by the test beside the stack's own (same database, namespace). */
export interface ExtraReplica {
  name: string;
  child: ChildProcess;
  lines: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startExtraReplica(
  sc: E2eStack,
  app: 'scheduler' | 'notifier',
  env: Record<string, string | number>,
): Promise<ExtraReplica> {
  const port = await findFreeBasePort(1);
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps', app, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      DATABASE_URL: sc.stack.databaseUrl,
      NATS_URL: sc.stack.natsUrl,
      NATS_NAMESPACE: sc.stack.natsNamespace,
      PORT: String(port),
      SANDCASTLE_SERVICE: `${app}-2`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => lines.push(line));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app}-2 exited: ${lines.slice(-20).join('\n')}`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`${app}-2 not ready: ${lines.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name: `${app}-2`,
    child,
    lines,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
