import { randomBytes } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { DeadLetterPublisher, type MessageDeadLetter } from '@sandcastle/messaging';
import type { CreatedApiKeyView as CreatedKey } from '../auth/api-key.views';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import { createTestBackend, type TestBackend } from '../testing/test-backend';

const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`;
const SECRET = randomBytes(32).toString('hex');
const WORKFLOW = 'name: Waits\nsteps:\n  - id: only\n    prompt: "Say hello"\n';

/**
 * Fair sharing at the gateway (real PostgreSQL and NATS, no orchestrator: runs stay queued, so
 * streams and sync waits stay open as long as the test wants).
 */
describe('fair sharing at the gateway', () => {
  let backend: TestBackend;
  const gateways: TestGateway[] = [];
  const open: AbortController[] = [];

  async function boot(env: Record<string, string>): Promise<TestGateway> {
    const gateway = await startTestGateway({ backend, env: { DB_POOL_SIZE: '4', ...env } });
    gateways.push(gateway);
    return gateway;
  }

  beforeAll(async () => {
    backend = await createTestBackend('gwfair');
  });

  afterAll(async () => {
    for (const c of open) c.abort();
    for (const gateway of gateways) await gateway.stop();
    await backend?.dispose();
  });

  /** Starts a request and resolves with its response once the headers arrived; the body stays open. */
  async function hold(url: string, init: RequestInit = {}): Promise<Response> {
    const controller = new AbortController();
    open.push(controller);
    return fetch(url, { ...init, signal: controller.signal });
  }

  const release = (response: Response) => {
    void response.body?.cancel().catch(() => undefined);
  };

  async function keyFor(gw: TestGateway, tenant: string): Promise<string> {
    const created = await gw.api<CreatedKey>(
      'POST',
      '/api-keys',
      { tenant_id: tenant, name: 'fair' },
      { 'x-api-key': ADMIN_KEY },
    );
    expect(created.status).toBe(201);
    return created.data.key;
  }

  async function queuedRun(gw: TestGateway, key: string): Promise<string> {
    const started = await gw.api<{ run_id: string }>(
      'POST',
      '/workflows/run',
      { workflow: WORKFLOW },
      { 'x-api-key': key },
    );
    expect(started.status).toBe(202);
    return started.data.run_id;
  }

  describe('per-tenant caps (AUTH_REQUIRED=true)', () => {
    let gw: TestGateway;
    let acme: string;
    let globex: string;

    beforeAll(async () => {
      gw = await boot({
        AUTH_REQUIRED: 'true',
        ADMIN_API_KEY: ADMIN_KEY,
        API_KEY_SECRET: SECRET,
        MAX_STREAMS_PER_TENANT: '2',
        MAX_SYNC_WAITS_PER_TENANT: '1',
        SSE_HEARTBEAT_MS: '200',
      });
      acme = await keyFor(gw, 'fair-acme');
      globex = await keyFor(gw, 'fair-globex');
    });

    it('answers 429 CONCURRENCY_LIMITED with Retry-After past MAX_STREAMS_PER_TENANT; other tenants and freed slots pass', async () => {
      const runId = await queuedRun(gw, acme);
      const stream = (key: string, id = runId) =>
        hold(`${gw.url}/runs/${id}/stream`, { headers: { 'x-api-key': key } });
      const first = await stream(acme);
      const second = await stream(acme);
      expect([first.status, second.status]).toEqual([200, 200]);

      const third = await stream(acme);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('5');
      const body = (await third.json()) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({ code: 'CONCURRENCY_LIMITED' });
      expect(body.error.message).toContain('MAX_STREAMS_PER_TENANT');

      // Another tenant has its own share.
      const theirs = await stream(globex, await queuedRun(gw, globex));
      expect(theirs.status).toBe(200);
      release(theirs);

      // A stream that ends gives its slot back.
      release(first);
      let again: Response | undefined;
      for (let i = 0; i < 100 && again?.status !== 200; i++) {
        if (again) await again.text();
        await new Promise((r) => setTimeout(r, 50));
        again = await stream(acme);
      }
      expect(again?.status).toBe(200);
      release(again!);
      release(second);
    });

    it('answers 429 past MAX_SYNC_WAITS_PER_TENANT without starting a run', async () => {
      const countRuns = async (): Promise<number> => {
        const rows = await backend.db.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM runs WHERE tenant_id = 'fair-acme'`,
        );
        return rows[0]!.n;
      };
      const before = await countRuns();
      const waiting = hold(`${gw.url}/workflows/run/sync?timeout_s=60`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': acme },
        body: JSON.stringify({ workflow: WORKFLOW }),
      }).catch(() => undefined);
      // The slot is taken before the run is created: once its run exists, the wait holds it.
      for (let i = 0; i < 200 && (await countRuns()) === before; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await countRuns()).toBe(before + 1);

      const refused = await gw.api(
        'POST',
        '/workflows/run/sync?timeout_s=60',
        { workflow: WORKFLOW },
        { 'x-api-key': acme },
      );
      expect(refused.status).toBe(429);
      expect(refused.error).toMatchObject({ code: 'CONCURRENCY_LIMITED' });
      expect(refused.error?.message).toContain('MAX_SYNC_WAITS_PER_TENANT');
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await countRuns()).toBe(before + 1);
      // The other tenant is not affected.
      const other = await gw.api(
        'POST',
        '/workflows/run/sync?timeout_s=1',
        { workflow: WORKFLOW },
        { 'x-api-key': globex },
      );
      expect(other.status).toBe(202);
      open.at(-1)?.abort();
      await waiting;
    });

    it('counts refused keys per client address and stops looking them up once it is spent', async () => {
      const limited = await boot({
        AUTH_REQUIRED: 'true',
        ADMIN_API_KEY: ADMIN_KEY,
        API_KEY_SECRET: SECRET,
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '3',
      });
      const known = await keyFor(limited, 'fair-known');
      expect((await limited.api('GET', '/runs', undefined, { 'x-api-key': known })).status).toBe(200);
      const bad = () =>
        limited.api('GET', '/runs', undefined, { 'x-api-key': `sc_${randomBytes(24).toString('hex')}` });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await bad()).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const last = await bad();
      expect(last.error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // A key this replica already knows as active still passes from the same address.
      expect((await limited.api('GET', '/runs', undefined, { 'x-api-key': known })).status).toBe(200);
    });
  });

  describe('per client address (AUTH_REQUIRED=false)', () => {
    it('limits anonymous callers per address; X-Forwarded-For counts only with TRUST_PROXY', async () => {
      const direct = await boot({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '3' });
      const spoof = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await direct.api('GET', '/runs', undefined, spoof(i))).status);
      // Without TRUST_PROXY a made-up X-Forwarded-For does not buy a fresh bucket.
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await direct.api('GET', '/health')).status).toBe(200);

      const proxied = await boot({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
      const a = [];
      for (let i = 0; i < 4; i++) a.push((await proxied.api('GET', '/runs', undefined, spoof(1))).status);
      expect(a).toEqual([200, 200, 200, 429]);
      // Behind a trusted proxy each client address has its own bucket.
      expect((await proxied.api('GET', '/runs', undefined, spoof(2))).status).toBe(200);
    });

    it('caps streams per client address when everyone is tenant "default"', async () => {
      const gw = await boot({
        MAX_STREAMS_PER_TENANT: '1',
        TRUST_PROXY: 'loopback',
        SSE_HEARTBEAT_MS: '200',
      });
      const started = await gw.api<{ run_id: string }>('POST', '/workflows/run', { workflow: WORKFLOW });
      const url = `${gw.url}/runs/${started.data.run_id}/stream`;
      const mine = await hold(url, { headers: { 'x-forwarded-for': '198.51.100.1' } });
      expect(mine.status).toBe(200);
      expect((await hold(url, { headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(429);
      const neighbour = await hold(url, { headers: { 'x-forwarded-for': '198.51.100.2' } });
      expect(neighbour.status).toBe(200);
      release(mine);
      release(neighbour);
    });
  });

  describe('GET /admin/message-dead-letters', () => {
    it('lists dead letters newest first for the admin key only, with paging', async () => {
      const gw = await boot({ AUTH_REQUIRED: 'true', ADMIN_API_KEY: ADMIN_KEY, API_KEY_SECRET: SECRET });
      const publisher = new DeadLetterPublisher(jetstream(backend.nc), backend.names);
      const letter = (n: number): MessageDeadLetter => ({
        service: 'orchestrator',
        consumer: 'orchestrator-results',
        stream: backend.names.streams.results,
        streamSequence: n,
        subject: backend.names.subjects.stepResult,
        msgId: `result:${n}`,
        deliveryCount: 20,
        lastError: `Error: poison ${n}`,
        payload: '{"v":1}',
        payloadBytes: 7,
        payloadTruncated: false,
        deadLetteredAt: new Date().toISOString(),
      });
      for (const n of [1, 2, 3]) await publisher.publish(letter(n));

      const first = await gw.api<Record<string, unknown>[]>(
        'GET',
        '/admin/message-dead-letters?limit=2',
        undefined,
        {
          'x-api-key': ADMIN_KEY,
        },
      );
      expect(first.status).toBe(200);
      expect(first.data.map((l) => l['msg_id'])).toEqual(['result:3', 'result:2']);
      expect(first.data[0]).toMatchObject({
        service: 'orchestrator',
        delivery_count: 20,
        last_error: 'Error: poison 3',
        stream_sequence: 3,
      });
      expect(first.meta).toMatchObject({ total: 3, limit: 2 });
      const next = await gw.api<Record<string, unknown>[]>(
        'GET',
        `/admin/message-dead-letters?limit=2&before=${first.meta!['next_before']}`,
        undefined,
        { 'x-api-key': ADMIN_KEY },
      );
      expect(next.data.map((l) => l['msg_id'])).toEqual(['result:1']);
      expect(next.meta?.['next_before']).toBeUndefined();

      const tenant = await keyFor(gw, 'fair-dl');
      const forbidden = await gw.api('GET', '/admin/message-dead-letters', undefined, {
        'x-api-key': tenant,
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.error).toMatchObject({ code: 'FORBIDDEN' });
      const invalid = await gw.api('GET', '/admin/message-dead-letters?limit=0', undefined, {
        'x-api-key': ADMIN_KEY,
      });
      expect(invalid.status).toBe(400);
    });
  });
});
