import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '@sandcastle/persistence/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsNames, type RunView } from '@sandcastle/contracts';
import { modelCooldownsBucket, stoppedRunsBucket } from '@sandcastle/messaging';
import {
  findFreeBasePort,
  stackPortCount,
  startStack,
  type Stack,
  type StartStackOptions,
} from '../../scripts/lib/stack.cjs';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: {
    data: T;
    error: { code: string; message: string; details?: { field: string; message: string }[] } | null;
    meta?: Record<string, number>;
  };
}

/** A running Sandcastle: five processes on their own database, namespace and ports. */
export class E2eStack {
  private constructor(
    readonly stack: Stack,
    readonly db: DataSource,
    /** Every line the services wrote (empty with E2E_LOGS set: then they go to the terminal). */
    readonly logs: string[],
    private readonly dropDatabase: () => Promise<void>,
    /** The local storage directory of this stack (STORAGE_BACKEND=local), removed at stop. */
    readonly storageDir: string,
  ) {}

  static async start(options: Partial<StartStackOptions> = {}): Promise<E2eStack> {
    const database = await createTestDatabase();
    const namespace = `e2e${randomBytes(4).toString('hex')}`;
    const logs: string[] = [];
    // Each stack stores its objects in its own directory (the local backend), never the repo's.
    const storageDir = await mkdtemp(join(tmpdir(), 'sc-e2e-storage-'));
    try {
      const stack = await startStack({
        databaseUrl: database.url,
        natsUrl: NATS_URL,
        natsNamespace: namespace,
        basePort: await findFreeBasePort(
          stackPortCount({ executors: options.executors, orchestrators: options.orchestrators }),
        ),
        embedded: false,
        migrate: false,
        stdio: process.env.E2E_LOGS ? 'inherit' : (line) => logs.push(line),
        readyTimeoutMs: 60_000,
        stopTimeoutMs: 15_000,
        ...options,
        env: {
          LOG_LEVEL: 'info',
          SIMULATED_LATENCY_MS: 20,
          WORKFLOWS_DIR: 'workflows',
          STORAGE_LOCAL_DIR: storageDir,
          ...(options.env ?? {}),
        },
      });
      return new E2eStack(stack, database.dataSource, logs, database.drop, storageDir);
    } catch (err) {
      await database.drop();
      await rm(storageDir, { recursive: true, force: true });
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    const nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    const names = natsNames(this.stack.natsNamespace);
    for (const stream of [
      ...Object.values(names.streams),
      `KV_${stoppedRunsBucket(names)}`,
      `KV_${modelCooldownsBucket(names)}`,
    ]) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
    await nc.close();
    await this.dropDatabase();
    await rm(this.storageDir, { recursive: true, force: true });
  }

  async api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const res = await fetch(`${this.stack.gatewayUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  }

  /** Starts a run and returns its id (asserting the 202). */
  async startRun(request: Record<string, unknown>): Promise<string> {
    const answer = await this.api<{ run_id: string }>('POST', '/workflows/run', request);
    if (answer.status !== 202)
      throw new Error(`run not accepted: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.data.run_id;
  }

  async getRun(runId: string): Promise<RunView> {
    const answer = await this.api<RunView>('GET', `/runs/${runId}`);
    if (answer.status !== 200)
      throw new Error(`GET /runs/${runId}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.data;
  }

  /** Polls the run until `done` says so (default: a final status). */
  async waitForRun(
    runId: string,
    done: (run: RunView) => boolean = isFinished,
    timeoutMs = 60_000,
  ): Promise<RunView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.getRun(runId);
      if (done(run)) return run;
      if (Date.now() > deadline) {
        throw new Error(
          `run ${runId} did not get there in time; last state: ${JSON.stringify(run, null, 1).slice(0, 3000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function isFinished(run: RunView): boolean {
  return !['queued', 'running', 'waiting'].includes(run.status);
}

/** Compact YAML builder for tests: a workflow as a list of lines. */
export function yaml(lines: string[]): string {
  return lines.join('\n') + '\n';
}
