import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsNames, type RunSummaryView, type RunView } from '@sandcastle/contracts';
import { REPO_ROOT } from '../scripts/lib/stack.cjs';
import { SseParser, type SseMessage } from '../tools/cli/src/sse/sse-parser';
import { E2eStack, NATS_URL, yaml } from './support/e2e-stack';

const CLI = join(REPO_ROOT, 'tools', 'cli', 'dist', 'main.js');

/** Six steps one after another, 300 ms each: long enough to leave and come back mid-run. */
const SLOW_CHAIN = yaml([
  'name: Slow Chain',
  'runtime: simulated',
  'simulation: { latency_ms: 300, cost_usd: 0.01 }',
  'steps:',
  '  - id: s1',
  '    prompt: "one {input.topic}"',
  ...[2, 3, 4, 5, 6].flatMap((n) => [
    `  - id: s${n}`,
    `    depends_on: [s${n - 1}]`,
    `    prompt: "step ${n}"`,
  ]),
]);

const FAILING = yaml([
  'name: Always Failing',
  'runtime: simulated',
  'steps:',
  '  - id: only',
  '    prompt: "fails"',
  '    simulation: { failure_rate: 1 }',
  '    retry: { max_attempts: 1 }',
]);

interface StreamEvent {
  id: number;
  event: string;
  data: unknown;
}

/** An SSE connection read with the CLI's parser: events one by one, until the server closes. */
class StreamReader {
  private readonly parser = new SseParser();
  private readonly queue: StreamEvent[] = [];
  private readonly decoder = new TextDecoder();
  closedByServer = false;

  private constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
  ) {}

  static async open(url: string, lastEventId?: number): Promise<StreamReader> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: lastEventId === undefined ? {} : { 'Last-Event-ID': String(lastEventId) },
      signal: controller.signal,
    });
    if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    return new StreamReader(response.body.getReader(), controller);
  }

  async next(): Promise<StreamEvent | null> {
    while (this.queue.length === 0) {
      const { done, value } = await this.reader.read();
      if (done) {
        this.closedByServer = true;
        return null;
      }
      this.queue.push(...this.parser.push(this.decoder.decode(value, { stream: true })).map(toEvent));
    }
    return this.queue.shift()!;
  }

  async untilClosed(): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    for (let e = await this.next(); e; e = await this.next()) events.push(e);
    return events;
  }

  close(): void {
    this.controller.abort();
    this.reader.cancel().catch(() => undefined);
  }
}

const toEvent = (m: SseMessage): StreamEvent => ({
  id: Number(m.id),
  event: m.event,
  data: JSON.parse(m.data),
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sandcastle(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('live stream, /stats and the sandcastle CLI end to end', () => {
  let sc: E2eStack;
  let tempDir: string;

  const streamUrl = (runId: string) => `${sc.stack.gatewayUrl}/runs/${runId}/stream`;

  /** The stream sequences of every event the engine stored for a run. */
  async function storedEventIds(runId: string): Promise<number[]> {
    const names = natsNames(sc.stack.natsNamespace);
    const nc = await connect({ servers: NATS_URL });
    try {
      const consumer = await jetstream(nc).consumers.get(names.streams.events, {
        filter_subjects: names.runEvents(runId),
      });
      const pending = (await consumer.info(true)).num_pending;
      const ids: number[] = [];
      const messages = await consumer.consume();
      for await (const m of messages as AsyncIterable<JsMsg>) {
        ids.push(m.seq);
        if (ids.length === pending) break;
      }
      await consumer.delete().catch(() => undefined);
      return ids;
    } finally {
      await nc.close();
    }
  }

  beforeAll(async () => {
    if (!existsSync(CLI)) {
      throw new Error(`${CLI} is missing: build the CLI first (npx tsc -b tools/cli/tsconfig.lib.json)`);
    }
    tempDir = await mkdtemp(join(tmpdir(), 'sandcastle-cli-e2e-'));
    sc = await E2eStack.start({ env: { SSE_HEARTBEAT_MS: 1000 } });
  });

  afterAll(async () => {
    await sc?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  it('streams a run from the start: the run first, its steps, the result last, then closes', async () => {
    const runId = await sc.startRun({ workflow: SLOW_CHAIN, input: { topic: 'otters' } });
    const stream = await StreamReader.open(streamUrl(runId));
    const events = await stream.untilClosed();
    expect(stream.closedByServer).toBe(true);

    expect(events[0]).toMatchObject({ event: 'status', data: { run_id: runId } });
    expect(events.at(-1)).toMatchObject({ event: 'result', data: { run_id: runId, status: 'completed' } });
    expect(events.slice(1, -1).every((e) => e.event !== 'result')).toBe(true);
    const completed = events
      .filter((e) => e.event === 'step' && (e.data as { status: string }).status === 'completed')
      .map((e) => (e.data as { step_id: string }).step_id);
    expect(completed).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids.slice(1)).size).toBe(ids.length - 1);
    expect(events.at(-1)!.data).toEqual(await sc.getRun(runId));
  });

  it('resumes a dropped stream with Last-Event-ID: together, every event once', async () => {
    const runId = await sc.startRun({ workflow: SLOW_CHAIN, input: { topic: 'resume' } });
    const first = await StreamReader.open(streamUrl(runId));
    const before: StreamEvent[] = [];
    // Leave once two steps are done: the run is then mid-way.
    while (
      before.filter((e) => e.event === 'step' && (e.data as { status: string }).status === 'completed')
        .length < 2
    ) {
      const event = await first.next();
      if (!event) throw new Error('the stream closed before two steps completed');
      before.push(event);
    }
    first.close();
    // Come back only after more happened while away.
    await sc.waitForRun(runId, (run) => run.steps.filter((s) => s.status === 'completed').length >= 4);

    const second = await StreamReader.open(streamUrl(runId), before.at(-1)!.id);
    const after = await second.untilClosed();
    expect(after[0]!.event).not.toBe('status');
    expect(after.at(-1)).toMatchObject({ event: 'result', data: { status: 'completed' } });

    const received = [...before.slice(1), ...after].map((e) => e.id);
    expect(new Set(received).size).toBe(received.length);
    const stored = await storedEventIds(runId);
    // The snapshot stands for everything up to its id; every later stored event came exactly once.
    expect(received).toEqual(stored.filter((id) => id > before[0]!.id));
  });

  it('answers /stats for the runs made', async () => {
    const failedId = await sc.startRun({ workflow: FAILING });
    expect((await sc.waitForRun(failedId)).status).toBe('failed');

    const answer = await sc.api<{
      total_runs_today: number;
      success_rate: number;
      total_cost_today: number;
      avg_duration_seconds: number;
      runs_by_day: { date: string; completed: number; failed: number; total: number }[];
      cost_by_workflow: { workflow: string; cost_usd: number; runs: number }[];
    }>('GET', '/stats');
    expect(answer.status).toBe(200);
    const stats = answer.body.data;
    const runs = (await sc.api<RunSummaryView[]>('GET', '/runs?limit=200')).body.data;
    const today = stats.runs_by_day.at(-1)!.date;
    const ofToday = runs.filter((r) => r.created_at.startsWith(today));
    const completed = ofToday.filter((r) => r.status === 'completed').length;
    const failed = ofToday.filter((r) => r.status === 'failed' || r.status === 'budget_exceeded').length;

    expect(stats.runs_by_day).toHaveLength(30);
    expect(stats.runs_by_day.at(-1)).toEqual({ date: today, completed, failed, total: ofToday.length });
    expect(stats.total_runs_today).toBe(ofToday.length);
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(stats.success_rate).toBeCloseTo(completed / (completed + failed), 4);
    expect(stats.total_cost_today).toBeCloseTo(
      ofToday.reduce((sum, r) => sum + r.total_cost_usd, 0),
      6,
    );
    expect(stats.avg_duration_seconds).toBeGreaterThan(0);
    const slow = stats.cost_by_workflow.find((c) => c.workflow === 'slow-chain');
    expect(slow?.runs).toBe(runs.filter((r) => r.workflow_name === 'slow-chain').length);
    expect(stats.cost_by_workflow.map((c) => c.cost_usd)).toEqual(
      [...stats.cost_by_workflow.map((c) => c.cost_usd)].sort((a, b) => b - a),
    );
  });

  it('drives the built CLI: validate, run lead-enrichment to completion, runs', async () => {
    const env = { SANDCASTLE_URL: sc.stack.gatewayUrl };

    const good = await sandcastle(['validate', 'workflows/lead-enrichment.yaml'], env);
    expect(good).toMatchObject({ code: 0 });
    expect(good.stdout).toContain('valid — Lead Enrichment (3 steps)');

    const badFile = join(tempDir, 'bad.yaml');
    await writeFile(
      badFile,
      'name: Bad\nsteps:\n  - id: a\n    prompt: hi\n  - id: b\n    depends_on: [scrap]\n',
    );
    const bad = await sandcastle(['validate', badFile], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/steps\[1\]\.depends_on: .*scrap/);
    expect(bad.stdout).toMatch(/steps\[1\]\.prompt: /);

    const run = await sandcastle(
      ['run', 'lead-enrichment', '--input', '{"target_url": "https://example.com", "max_depth": 2}'],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const step of ['scrape', 'enrich', 'score'])
      expect(run.stdout).toMatch(new RegExp(`✓ ${step} completed`));
    const runId = /^✓ run (\S+) completed$/m.exec(run.stdout)?.[1];
    expect(runId).toBeDefined();
    const finished: RunView = await sc.getRun(runId!);
    expect(finished.status).toBe('completed');
    expect(run.stdout).toContain(`total cost $${finished.total_cost_usd.toFixed(4)}`);
    expect(run.stdout).toMatch(/^outputs:$/m);

    const list = await sandcastle(['runs', '--workflow', 'lead-enrichment'], env);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+COST\s+CREATED$/);
    expect(lines.find((l) => l.startsWith(runId!))).toMatch(/lead-enrichment\s+completed/);

    const missing = await sandcastle(['run-status', '00000000-0000-4000-8000-000000000000'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe("RUN_NOT_FOUND: run '00000000-0000-4000-8000-000000000000' not found");
  });
});
