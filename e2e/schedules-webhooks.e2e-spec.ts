import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { DeliveryView, RunSummaryView, RunView, ScheduleView } from '@sandcastle/contracts';
import { findFreeBasePort, REPO_ROOT } from '../scripts/lib/stack.cjs';
import { E2eStack, yaml } from './support/e2e-stack';
import { startExtraReplica, type ExtraReplica } from './support/extra-replica';
import { waitFor } from './support/wait-for';

const SECRET = 'e2e-webhook-secret-0123456789abcdef0123456789';

/** Timings short enough for a test of seconds; the same variables an operator sets. */
const ENV = {
  WEBHOOK_SECRET: SECRET,
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_BASE_MS: 300,
  WEBHOOK_RETRY_MAX_DELAY_MS: 1000,
  WEBHOOK_RETRY_WINDOW_MS: 60_000,
  SCHEDULER_TICK_MS: 100,
  NOTIFIER_POLL_MS: 100,
  NOTIFIER_ACK_WAIT_MS: 2000,
};

const WORKFLOW = yaml([
  'name: Tick',
  'runtime: simulated',
  'steps:',
  '  - id: only',
  '    prompt: "tick {input.n}"',
  '    simulation: { latency_ms: 50, cost_usd: 0.001 }',
]);

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  at: number;
}

/** The receiver's own check, independent of the notifier's code: HMAC over the raw bytes. */
function signed(r: Received): boolean {
  const expected = createHmac('sha256', SECRET).update(r.raw).digest();
  const given = Buffer.from(String(r.headers['x-sandcastle-signature'] ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const bodyOf = (r: Received) => JSON.parse(r.raw.toString('utf8')) as Record<string, unknown>;

describe('schedules and webhooks (five services, extra replicas, real receivers)', () => {
  let sc: E2eStack;
  let server: Server;
  let base: string;
  const received: Received[] = [];
  const extras: ExtraReplica[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = { path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks), at: Date.now() };
        received.push(r);
        const count = received.filter((x) => x.path === r.path).length;
        if (r.path === '/flaky' && count <= 2) return void res.writeHead(500).end();
        if (r.path === '/busy' && count === 1) return void res.writeHead(429, { 'Retry-After': '2' }).end();
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sc = await E2eStack.start({ env: ENV });
    expect((await sc.api('POST', '/workflows', { name: 'tick', content: WORKFLOW })).status).toBe(201);
  });

  afterAll(async () => {
    for (const extra of extras) await extra.kill('SIGTERM');
    await sc?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  const runsOf = async (scheduleId: string) =>
    (await sc.api<RunSummaryView[]>('GET', `/runs?schedule_id=${scheduleId}&limit=200`)).body.data;

  it('two schedulers and two notifiers, one of each killed mid-way: one run per due time, one signed webhook per run', async () => {
    extras.push(await startExtraReplica(sc, 'scheduler', ENV), await startExtraReplica(sc, 'notifier', ENV));
    const created = await sc.api<ScheduleView>('POST', '/schedules', {
      workflow_name: 'tick',
      cron_expression: '*/2 * * * * *',
      input_data: { n: 1 },
      callback_url: `${base}/scheduled`,
    });
    expect(created.status).toBe(201);
    const schedule = created.body.data;
    expect(schedule.description).toBe('Every 2 seconds');

    await waitFor('three scheduled runs', async () => (await runsOf(schedule.id)).length >= 3);
    await extras[0]!.kill('SIGKILL');
    await extras[1]!.kill('SIGKILL');
    await waitFor('three more runs after the kill', async () => (await runsOf(schedule.id)).length >= 6);

    const disabled = await sc.api<ScheduleView>('PATCH', `/schedules/${schedule.id}`, { enabled: false });
    expect(disabled.body.data).toMatchObject({ enabled: false, next_run_at: null });
    const atDisable = (await runsOf(schedule.id)).length;
    await new Promise((r) => setTimeout(r, 4500)); // two due times pass
    const runs = await runsOf(schedule.id);
    expect(runs.length).toBeLessThanOrEqual(atDisable + 1); // a fire committed while the PATCH ran

    // One run per due time: no duplicate, and no due time lost between the first and the last.
    const fires: { scheduled_for: Date; missed_fires: number }[] = await sc.db.query(
      'SELECT scheduled_for, missed_fires FROM runs WHERE schedule_id = $1 ORDER BY scheduled_for',
      [schedule.id],
    );
    const times = fires.map((f) => f.scheduled_for.getTime());
    expect(new Set(times).size).toBe(fires.length);
    const slots = (times[times.length - 1]! - times[0]!) / 2000 + 1;
    expect(fires.slice(1).reduce((sum, f) => sum + f.missed_fires, 1)).toBe(slots);

    // Every run ends and is delivered once (apart from retries), signed, with the documented body.
    const runIds = runs.map((r) => r.run_id);
    for (const id of runIds) await sc.waitForRun(id);
    await waitFor('one webhook per run', () => {
      const got = new Set(received.filter((r) => r.path === '/scheduled').map((r) => bodyOf(r)['run_id']));
      return runIds.every((id) => got.has(id));
    });
    await new Promise((r) => setTimeout(r, 1000));
    const hooks = received.filter((r) => r.path === '/scheduled');
    const deliveryIds = hooks.map((r) => String(r.headers['x-sandcastle-delivery']));
    expect(new Set(deliveryIds).size).toBe(runIds.length);
    for (const hook of hooks) {
      expect(signed(hook)).toBe(true);
      expect(hook.headers['x-sandcastle-event']).toBe('workflow.completed');
      expect(Object.keys(bodyOf(hook))).toEqual([
        'event',
        'run_id',
        'workflow',
        'status',
        'outputs',
        'total_cost_usd',
        'duration_seconds',
        'error',
        'timestamp',
      ]);
      expect(bodyOf(hook)).toMatchObject({
        event: 'workflow.completed',
        workflow: 'tick',
        status: 'completed',
      });
    }
    // Any redelivery of the same delivery id was a retry: every run has exactly one delivery row.
    const rows: { n: number }[] = await sc.db.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE run_id = ANY($1::uuid[])`,
      [runIds],
    );
    expect(rows[0]!.n).toBe(runIds.length);
  });

  it('a scheduler stopped across two due times fires one catch-up when it comes back', async () => {
    const created = await sc.api<ScheduleView>('POST', '/schedules', {
      workflow_name: 'tick',
      cron_expression: '*/2 * * * * *',
    });
    const schedule = created.body.data;
    await waitFor('a first run', async () => (await runsOf(schedule.id)).length >= 1);
    await sc.stack.kill('scheduler', 'SIGTERM');
    const before = await runsOf(schedule.id);
    await new Promise((r) => setTimeout(r, 5000)); // at least two due times pass with no scheduler
    expect((await runsOf(schedule.id)).length).toBe(before.length);
    await sc.stack.start('scheduler');
    const catchUp = await waitFor('the catch-up run', async () => {
      for (const run of await runsOf(schedule.id)) {
        if (before.some((b) => b.run_id === run.run_id)) continue;
        const full = (await sc.api<RunView>('GET', `/runs/${run.run_id}`)).body.data;
        if (full.catch_up) return full;
      }
      return undefined;
    });
    expect(catchUp.schedule_id).toBe(schedule.id);
    await sc.api('PATCH', `/schedules/${schedule.id}`, { enabled: false });
    const after: { catch_up: boolean; missed_fires: number }[] = await sc.db.query(
      'SELECT catch_up, missed_fires FROM runs WHERE schedule_id = $1 AND catch_up',
      [schedule.id],
    );
    expect(after).toHaveLength(1);
    expect(after[0]!.missed_fires).toBeGreaterThanOrEqual(2);
  });

  it('retries a receiver that fails twice, honours a 429 Retry-After, and lists every attempt', async () => {
    const flaky = await sc.startRun({ workflow: 'tick', input: { n: 2 }, callback_url: `${base}/flaky` });
    const busy = await sc.startRun({ workflow: 'tick', input: { n: 3 }, callback_url: `${base}/busy` });
    const delivered = async (runId: string) => {
      const list = (await sc.api<DeliveryView[]>('GET', `/runs/${runId}/deliveries`)).body.data;
      return list[0]?.status === 'delivered' ? list[0] : undefined;
    };
    const flakyDelivery = await waitFor('the flaky delivery', () => delivered(flaky));
    expect(flakyDelivery.attempt_log.map((a) => a.status_code)).toEqual([500, 500, 200]);
    expect(flakyDelivery.attempt_log.every((a) => a.latency_ms >= 0)).toBe(true);
    const busyDelivery = await waitFor('the busy delivery', () => delivered(busy));
    expect(busyDelivery.attempt_log.map((a) => a.status_code)).toEqual([429, 200]);
    const busyHits = received.filter((r) => r.path === '/busy');
    expect(busyHits[1]!.at - busyHits[0]!.at).toBeGreaterThanOrEqual(1900);

    const again = await sc.api<DeliveryView>('POST', `/deliveries/${flakyDelivery.id}/redeliver`);
    expect(again.body.data.status).toBe('pending');
    await waitFor('the redelivery', async () => {
      const d = await delivered(flaky);
      return d && d.attempts === 4 ? d : undefined;
    });
  });

  it('runs the receiver of docs/webhooks.md: accepts a real webhook, rejects a forged, a stale and a replayed one', async () => {
    const example = readFileSync(path.join(REPO_ROOT, 'docs/examples/webhook-receiver.mjs'), 'utf8');
    expect(readFileSync(path.join(REPO_ROOT, 'docs/webhooks.md'), 'utf8')).toContain(example.trim());
    const port = await findFreeBasePort(1);
    const child: ChildProcess = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'docs/examples/webhook-receiver.mjs')],
      {
        env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines: Record<string, unknown>[] = [];
    readline
      .createInterface({ input: child.stdout! })
      .on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    try {
      await waitFor('the receiver', () => lines.some((l) => l['listening'] === port));
      const url = `http://127.0.0.1:${port}/hook`;
      const runId = await sc.startRun({ workflow: 'tick', input: { n: 4 }, callback_url: url });
      await waitFor('the accepted webhook', () => lines.some((l) => l['run_id'] === runId && l['accepted']));

      const post = (body: string, signature: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-sandcastle-signature': signature },
          body,
        });
      const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');
      const fresh = JSON.stringify({
        event: 'workflow.completed',
        run_id: runId,
        timestamp: new Date().toISOString(),
      });
      expect(
        (
          await post(
            fresh,
            sign(fresh).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
          )
        ).status,
      ).toBe(401);
      const stale = JSON.stringify({
        event: 'workflow.completed',
        run_id: runId,
        timestamp: new Date(Date.now() - 600_000).toISOString(),
      });
      expect((await post(stale, sign(stale))).status).toBe(401);
      expect((await post(fresh, sign(fresh))).status).toBe(204);
      expect((await post(fresh, sign(fresh))).status).toBe(401);
      expect(lines.filter((l) => l['rejected']).map((l) => l['rejected'])).toEqual([
        'bad signature',
        'stale timestamp',
        'replayed',
      ]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
