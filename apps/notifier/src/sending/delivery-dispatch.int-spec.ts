import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createLogger, createMetricsRegistry } from '@sandcastle/observability';
import { createDataSource } from '@sandcastle/persistence';
import { createTestDatabase } from '@sandcastle/persistence/testing';
import { NotifierMetrics } from '../notifier.metrics';
import { DeliveriesRepository } from '../planning/deliveries.repository';
import { PlanDeliveriesUseCase } from '../planning/plan-deliveries.use-case';
import { DeliveryDispatcher } from './delivery-dispatcher.service';
import { OutboundSender } from './outbound-sender';
import { SendDeliveryUseCase } from './send-delivery.use-case';

const SECRET = 'int-spec-secret-0123456789abcdef0123456789';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  at: number;
}

/** A real HTTP receiver on 127.0.0.1 whose answer per path the test decides. */
async function receiver(
  answer: (path: string, count: number) => { status: number; headers?: Record<string, string> },
) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, raw: Buffer.concat(chunks), at: Date.now() });
      const { status, headers } = answer(path, received.filter((r) => r.path === path).length);
      res.writeHead(status, headers).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The receiver's side, written independently of the notifier: HMAC over the raw bytes. */
function signatureValid(r: Received): boolean {
  const expected = createHmac('sha256', SECRET).update(r.raw).digest();
  const given = Buffer.from(String(r.headers['x-sandcastle-signature'] ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhook deliveries (real PostgreSQL, real HTTP receivers)', () => {
  let db: DataSource;
  let url: string;
  let drop: () => Promise<void>;
  const pools: DataSource[] = [];
  let dispatchers: DeliveryDispatcher[];
  let planner: PlanDeliveriesUseCase;
  let server: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    ({ dataSource: db, url, drop } = await createTestDatabase());
    server = await receiver((path, count): { status: number; headers?: Record<string, string> } => {
      if (path === '/flaky') return { status: count <= 2 ? 503 : 200 };
      if (path === '/busy')
        return count === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 204 };
      if (path === '/gone') return { status: 410 };
      if (path === '/moved') return { status: 302, headers: { Location: 'http://169.254.169.254/' } };
      return { status: 200 };
    });
    const logger = createLogger('notifier', 'error');
    dispatchers = [];
    for (const name of ['a', 'b']) {
      const pool = await createDataSource(url, {
        poolSize: 4,
        applicationName: `notifier-${name}`,
      }).initialize();
      pools.push(pool);
      const metrics = new NotifierMetrics(createMetricsRegistry(`notifier_${name}`));
      const repository = new DeliveriesRepository(pool);
      const send = new SendDeliveryUseCase(
        repository,
        new OutboundSender(true),
        {
          secret: SECRET,
          timeoutMs: 2000,
          retry: { baseDelayMs: 200, maxDelayMs: 400, retryAfterMaxMs: 5000 },
          publicBaseUrl: 'https://sandcastle.example.com',
        },
        metrics,
        logger,
      );
      dispatchers.push(
        new DeliveryDispatcher(
          repository,
          send,
          { pollMs: 20, concurrency: 8, leaseMs: 10_000 },
          metrics,
          logger,
        ),
      );
      if (name === 'a') {
        planner = new PlanDeliveriesUseCase(
          repository,
          { retryWindowMs: 4000, allowPrivate: true, allowedVariables: ['HOOK_BASE'] },
          metrics,
          logger,
        );
      }
    }
    for (const d of dispatchers) d.onApplicationBootstrap();
  });

  afterAll(async () => {
    for (const d of dispatchers) await d.onModuleDestroy();
    for (const pool of pools) await pool.destroy();
    await server.close();
    await drop();
  });

  async function finishedRun(fields: {
    callbackUrl?: string;
    definition?: Record<string, unknown>;
  }): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO runs (id, tenant_id, workflow_name, definition, status, root_run_id, callback_url)
       VALUES ($1, 't1', 'digest', $2, 'completed', $1, $3)`,
      [id, JSON.stringify(fields.definition ?? { title: 'Digest', steps: [] }), fields.callbackUrl ?? null],
    );
    return id;
  }

  const result = (runId: string, status: 'completed' | 'failed' = 'completed') => ({
    runId,
    workflowName: 'digest',
    status,
    outputs: { only: { n: 1 } },
    error: status === 'failed' ? 'step only failed' : null,
    totalCostUsd: 0.25,
    durationSeconds: 1.5,
  });

  interface DeliveryRow {
    id: string;
    status: string;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
    target: string;
  }
  const deliveryOf = (runId: string) =>
    db.query<DeliveryRow[]>('SELECT * FROM webhook_deliveries WHERE run_id = $1 ORDER BY target', [runId]);

  it('sends each delivery once with two dispatchers, signed over the exact bytes, with the documented body', async () => {
    const runIds: string[] = [];
    for (let i = 0; i < 30; i += 1)
      runIds.push(await finishedRun({ callbackUrl: `${server.base}/ok?i=${i}` }));
    await Promise.all(runIds.map((id) => planner.execute(result(id))));
    // A redelivered event plans nothing more.
    expect(await planner.execute(result(runIds[0]!))).toBe(0);
    await waitFor(() => server.received.filter((r) => r.path.startsWith('/ok')).length >= 30);
    await new Promise((r) => setTimeout(r, 300));
    const got = server.received.filter((r) => r.path.startsWith('/ok'));
    expect(got).toHaveLength(30);
    expect(new Set(got.map((r) => r.headers['x-sandcastle-delivery'])).size).toBe(30);
    for (const r of got) {
      expect(signatureValid(r)).toBe(true);
      expect(r.headers['x-sandcastle-event']).toBe('workflow.completed');
      expect(r.headers['content-type']).toBe('application/json');
      const body = JSON.parse(r.raw.toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual([
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
      expect(body).toMatchObject({
        event: 'workflow.completed',
        workflow: 'digest',
        status: 'completed',
        total_cost_usd: 0.25,
      });
      expect(Math.abs(Date.parse(String(body['timestamp'])) - r.at)).toBeLessThan(5000);
    }
    await waitFor(
      async () =>
        (await db.query(`SELECT 1 FROM webhook_deliveries WHERE status <> 'delivered'`)).length === 0,
    );
  });

  it('retries a receiver that fails twice, then records three attempts and delivered', async () => {
    const runId = await finishedRun({ callbackUrl: `${server.base}/flaky` });
    await planner.execute(result(runId));
    await waitFor(async () => (await deliveryOf(runId))[0]?.status === 'delivered');
    const [delivery] = await deliveryOf(runId);
    expect(delivery).toMatchObject({ attempts: 3, last_status_code: 200, last_error: null });
    const attempts = await db.query(
      'SELECT attempt, status_code, error FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt',
      [delivery!.id],
    );
    expect(attempts).toEqual([
      { attempt: 1, status_code: 503, error: 'HTTP 503' },
      { attempt: 2, status_code: 503, error: 'HTTP 503' },
      { attempt: 3, status_code: 200, error: null },
    ]);
    const sent = server.received.filter((r) => r.path === '/flaky');
    // Same delivery id each time; a fresh timestamp (and so a fresh signature) each attempt.
    expect(new Set(sent.map((r) => r.headers['x-sandcastle-delivery'])).size).toBe(1);
    expect(sent.every(signatureValid)).toBe(true);
  });

  it("honours a 429's Retry-After", async () => {
    const runId = await finishedRun({ callbackUrl: `${server.base}/busy` });
    await planner.execute(result(runId));
    await waitFor(async () => (await deliveryOf(runId))[0]?.status === 'delivered');
    const sent = server.received.filter((r) => r.path === '/busy');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('posts a Slack block message for a workflow with notify.slack, unsigned, linking to the run', async () => {
    const runId = await finishedRun({
      definition: { title: 'Digest', steps: [], notify: { slack: `${server.base}/slack/T0/B0` } },
    });
    await planner.execute(result(runId));
    await waitFor(async () => (await deliveryOf(runId))[0]?.status === 'delivered');
    const hit = server.received.find((r) => r.path === '/slack/T0/B0')!;
    expect(hit.headers['x-sandcastle-signature']).toBeUndefined();
    const message = JSON.parse(hit.raw.toString('utf8')) as { text: string; blocks: unknown[] };
    expect(message.text).toBe('Workflow digest completed');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('$0.2500');
    expect(text).toContain('1.5 s');
    expect(text).toContain(`https://sandcastle.example.com/runs/${runId}`);
  });

  it("delivers a scheduled run's end to the schedule's callback and Slack URL", async () => {
    const scheduleId = randomUUID();
    await db.query(
      `INSERT INTO schedules (id, tenant_id, workflow_name, cron_expression, callback_url, notify_slack)
       VALUES ($1, 't1', 'digest', '* * * * *', $2, $3)`,
      [scheduleId, `${server.base}/from-schedule`, `${server.base}/slack/schedule`],
    );
    const runId = await finishedRun({});
    await db.query('UPDATE runs SET schedule_id = $2 WHERE id = $1', [runId, scheduleId]);
    expect(await planner.execute(result(runId))).toBe(2);
    await waitFor(async () => (await deliveryOf(runId)).every((d) => d.status === 'delivered'));
    expect((await deliveryOf(runId)).map((d) => d.target)).toEqual(['schedule_callback', 'schedule_slack']);
    expect(signatureValid(server.received.find((r) => r.path === '/from-schedule')!)).toBe(true);
  });

  it('gives up after the retry window, does not follow redirects, and stores refused URLs as failed', async () => {
    const runId = await finishedRun({
      callbackUrl: `${server.base}/gone`,
      definition: {
        title: 'Digest',
        steps: [],
        onFailure: { deadLetter: false, webhook: '${HOOK_BASE}/moved' },
        notify: { slack: 'http://169.254.169.254/latest/meta-data' },
      },
    });
    process.env['HOOK_BASE'] = server.base;
    await planner.execute(result(runId, 'failed'));
    delete process.env['HOOK_BASE'];
    await waitFor(async () => (await deliveryOf(runId)).every((d) => d.status === 'failed'), 15_000);
    const rows = await deliveryOf(runId);
    expect(rows.map((d) => [d.target, d.status])).toEqual([
      ['run_callback', 'failed'],
      ['workflow_slack', 'failed'],
      ['workflow_webhook', 'failed'],
    ]);
    expect(rows.find((d) => d.target === 'run_callback')).toMatchObject({ last_status_code: 410 });
    expect(rows.find((d) => d.target === 'run_callback')!.attempts).toBeGreaterThan(1);
    expect(rows.find((d) => d.target === 'workflow_slack')).toMatchObject({
      attempts: 0,
      last_error: expect.stringMatching(/^UNSAFE_URL/),
    });
    expect(rows.find((d) => d.target === 'workflow_webhook')).toMatchObject({ last_status_code: 302 });
    expect(server.received.filter((r) => r.path === '/moved').length).toBeGreaterThan(0);
    const failed = server.received.find((r) => r.path === '/gone')!;
    expect(failed.headers['x-sandcastle-event']).toBe('workflow.failed');
  });
});
