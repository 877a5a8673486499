import { randomBytes } from 'node:crypto';
import type { RunView } from '@sandcastle/contracts';
import { ApiKeyEntity } from '@sandcastle/persistence';
import type { GatewayAnswer } from '../testing/gateway-answer';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import { createTestBackend, type TestBackend } from '../testing/test-backend';
import { ApiKeyAuthenticator, KEY_CACHE_TTL_MS } from './api-key-authenticator.service';
import { hashApiKey } from './api-key.util';
import type { CreatedApiKeyView as CreatedKey } from './api-key.views';
import { KeyUsageRecorder } from './key-usage.recorder';
const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`;
const SECRET = randomBytes(32).toString('hex');
const ORIGIN = 'http://dashboard.test:5173';
const WORKFLOW = 'name: Hello\nsteps:\n  - id: only\n    prompt: "Say hello"\n';

describe('API keys and auth (real PostgreSQL and NATS)', () => {
  /** Every gateway of this file is a replica on the same database and namespace. */
  let backend: TestBackend;
  const gateways: TestGateway[] = [];

  async function boot(env: Record<string, string>): Promise<TestGateway> {
    const gateway = await startTestGateway({
      backend,
      logLevel: 'info',
      env: { DB_POOL_SIZE: '3', DASHBOARD_ORIGIN: ORIGIN, ...env },
    });
    gateways.push(gateway);
    return gateway;
  }

  /** The key, when given, goes in X-API-Key. */
  async function call<T = unknown>(
    gateway: TestGateway,
    method: string,
    path: string,
    options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<GatewayAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers['x-api-key'] = options.key;
    return gateway.api<T>(method, path, options.body, headers);
  }

  beforeAll(async () => {
    backend = await createTestBackend('gwauth');
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await backend?.dispose();
  });

  describe('with AUTH_REQUIRED=true', () => {
    let gw: TestGateway;
    let acme: CreatedKey;
    let globex: CreatedKey;

    const createKey = async (
      key: string,
      body: Record<string, unknown>,
    ): Promise<GatewayAnswer<CreatedKey>> => call<CreatedKey>(gw, 'POST', '/api-keys', { key, body });

    beforeAll(async () => {
      gw = await boot({ AUTH_REQUIRED: 'true', ADMIN_API_KEY: ADMIN_KEY, API_KEY_SECRET: SECRET });
      acme = (await createKey(ADMIN_KEY, { tenant_id: 'acme', name: 'acme ci', max_cost_per_run_usd: 1.25 }))
        .data;
      globex = (await createKey(ADMIN_KEY, { tenant_id: 'globex', name: 'globex' })).data;
    });

    it('keeps /health, /metrics and /docs open', async () => {
      expect((await call(gw, 'GET', '/health')).status).toBe(200);
      expect((await call(gw, 'GET', '/health/live')).status).toBe(200);
      expect((await fetch(`${gw.url}/metrics`)).status).toBe(200);
      expect((await fetch(`${gw.url}/docs-json`)).status).toBe(200);
    });

    it('answers 401 without a key, with an unknown key, with a malformed one, and for a key in the URL', async () => {
      const none = await call(gw, 'GET', '/runs');
      expect(none.status).toBe(401);
      expect(none.error).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      const unknown = await call(gw, 'GET', '/runs', { key: `sc_${randomBytes(32).toString('base64url')}` });
      expect(unknown.status).toBe(401);
      expect(unknown.error?.message).toContain('unknown or deactivated');
      expect((await call(gw, 'GET', '/runs', { key: 'not-a-key' })).status).toBe(401);
      const inUrl = await call(gw, 'GET', `/runs?token=${acme.key}`);
      expect(inUrl.status).toBe(401);
      expect(inUrl.error?.message).toContain('never accepted in the URL');
      // Even next to a valid header key: the URL key has leaked already.
      expect((await call(gw, 'GET', `/runs?api_key=${acme.key}`, { key: acme.key })).status).toBe(401);
      // Unknown routes too: nothing about the API is learned without a key.
      expect((await call(gw, 'GET', '/no-such-route')).status).toBe(401);
    });

    it('creates keys with the admin key: the key is shown once and only its HMAC is stored', async () => {
      expect(acme).toMatchObject({ tenant_id: 'acme', name: 'acme ci', max_cost_per_run_usd: 1.25 });
      expect(acme.key).toMatch(/^sc_[A-Za-z0-9_-]{43}$/);
      expect(acme.key_prefix).toBe(acme.key.slice(0, 10));
      const row = await backend.db.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: acme.id });
      expect(row.keyHash).toBe(hashApiKey(acme.key, SECRET));
      expect(JSON.stringify(row)).not.toContain(acme.key);
      expect(globex.max_cost_per_run_usd).toBeNull();
    });

    it('accepts a tenant key as X-API-Key or Bearer', async () => {
      expect((await call(gw, 'GET', '/runs', { key: acme.key })).status).toBe(200);
      const bearer = await call(gw, 'GET', '/runs', { headers: { authorization: `Bearer ${acme.key}` } });
      expect(bearer.status).toBe(200);
    });

    it("lists a tenant's own active keys, and every tenant's for the admin", async () => {
      const own = await call<Record<string, unknown>[]>(gw, 'GET', '/api-keys', { key: acme.key });
      expect(own.status).toBe(200);
      expect(own.data.map((k) => k['id'])).toEqual([acme.id]);
      expect(own.data[0]).toEqual({
        id: acme.id,
        key_prefix: acme.key_prefix,
        tenant_id: 'acme',
        name: 'acme ci',
        is_active: true,
        max_cost_per_run_usd: 1.25,
        created_at: acme.created_at,
        last_used_at: null,
      });
      expect(own.meta).toMatchObject({ total: 1 });
      const all = await call<{ id: string }[]>(gw, 'GET', '/api-keys', { key: ADMIN_KEY });
      expect(all.data.map((k) => k.id)).toEqual(expect.arrayContaining([acme.id, globex.id]));
      const filtered = await call<{ id: string }[]>(gw, 'GET', '/api-keys?tenant_id=globex', {
        key: ADMIN_KEY,
      });
      expect(filtered.data.map((k) => k.id)).toEqual([globex.id]);
    });

    it("answers 403 when a tenant key manages another tenant's keys, 404 for another tenant's key id", async () => {
      const forbidden = await createKey(acme.key, { tenant_id: 'globex', name: 'sneaky' });
      expect(forbidden.status).toBe(403);
      expect(forbidden.error).toMatchObject({ code: 'FORBIDDEN' });
      expect((await call(gw, 'GET', '/api-keys?tenant_id=globex', { key: acme.key })).status).toBe(403);
      const foreign = await call(gw, 'DELETE', `/api-keys/${globex.id}`, { key: acme.key });
      expect(foreign.status).toBe(404);
      expect(foreign.error).toMatchObject({ code: 'API_KEY_NOT_FOUND' });
      // A tenant may add keys for itself.
      expect((await createKey(acme.key, { tenant_id: 'acme', name: 'second' })).status).toBe(201);
    });

    it('validates the body of a new key, field by field', async () => {
      const bad = await call<null>(gw, 'POST', '/api-keys', {
        key: ADMIN_KEY,
        body: { tenant_id: 'no spaces', name: '', max_cost_per_run_usd: -1 },
      });
      expect(bad.status).toBe(400);
      expect(bad.error?.message).toMatch(/tenant_id.*name.*max_cost_per_run_usd/);
    });

    it('refuses writes with the admin key (it belongs to no tenant)', async () => {
      const write = await call(gw, 'POST', '/workflows', { key: ADMIN_KEY, body: { content: WORKFLOW } });
      expect(write.status).toBe(403);
      expect(write.error).toMatchObject({ code: 'FORBIDDEN' });
    });

    it("gives a run the key's budget, which a request may lower but never raise, and lets the admin read it", async () => {
      expect(
        (await call(gw, 'POST', '/workflows', { key: acme.key, body: { content: WORKFLOW } })).status,
      ).toBe(201);
      const keyBudget = await call<{ run_id: string }>(gw, 'POST', '/workflows/run', {
        key: acme.key,
        body: { workflow: 'hello' },
      });
      expect(keyBudget.status).toBe(202);
      const own = await call<{ run_id: string }>(gw, 'POST', '/workflows/run', {
        key: acme.key,
        body: { workflow: 'hello', max_cost_usd: 3 },
      });
      const lowered = await call<{ run_id: string }>(gw, 'POST', '/workflows/run', {
        key: acme.key,
        body: { workflow: 'hello', max_cost_usd: 0.5 },
      });
      const read = async (key: string, id: string): Promise<GatewayAnswer<RunView>> =>
        call<RunView>(gw, 'GET', `/runs/${id}`, { key });
      expect((await read(acme.key, keyBudget.data.run_id)).data.max_cost_usd).toBe(1.25);
      // The key's 1.25 is a ceiling: asking for 3 gets 1.25, asking for 0.5 gets 0.5.
      expect((await read(acme.key, own.data.run_id)).data.max_cost_usd).toBe(1.25);
      expect((await read(acme.key, lowered.data.run_id)).data.max_cost_usd).toBe(0.5);

      expect((await read(globex.key, keyBudget.data.run_id)).status).toBe(404);
      expect((await read(ADMIN_KEY, keyBudget.data.run_id)).status).toBe(200);
      const adminList = await call<{ run_id: string }[]>(gw, 'GET', '/runs', { key: ADMIN_KEY });
      expect(adminList.data.map((r) => r.run_id)).toEqual(
        expect.arrayContaining([keyBudget.data.run_id, own.data.run_id]),
      );
      const globexList = await call<{ run_id: string }[]>(gw, 'GET', '/runs', { key: globex.key });
      expect(globexList.data).toEqual([]);
      expect((await call(gw, 'GET', '/workflows/hello', { key: globex.key })).status).toBe(404);
      expect((await call(gw, 'GET', '/workflows/hello', { key: ADMIN_KEY })).status).toBe(200);
    });

    it('writes last_used_at in batches, not per request', async () => {
      const recorder = gw.app.get(KeyUsageRecorder);
      await recorder.flush();
      const repo = backend.db.dataSource.getRepository(ApiKeyEntity);
      await repo.update({ id: globex.id }, { lastUsedAt: null });
      expect((await call(gw, 'GET', '/runs', { key: globex.key })).status).toBe(200);
      expect((await repo.findOneByOrFail({ id: globex.id })).lastUsedAt).toBeNull();
      await recorder.flush();
      expect((await repo.findOneByOrFail({ id: globex.id })).lastUsedAt).toBeInstanceOf(Date);
    });

    it('stops a deleted key at once on the gateway that deleted it', async () => {
      const doomed = (await createKey(ADMIN_KEY, { tenant_id: 'acme', name: 'doomed' })).data;
      expect((await call(gw, 'GET', '/runs', { key: doomed.key })).status).toBe(200);
      const deleted = await call(gw, 'DELETE', `/api-keys/${doomed.id}`, { key: doomed.key });
      expect(deleted.status).toBe(200);
      expect(deleted.data).toEqual({ deactivated: true, id: doomed.id });
      expect((await call(gw, 'GET', '/runs', { key: doomed.key })).status).toBe(401);
      const row = await backend.db.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: doomed.id });
      expect(row).toMatchObject({ isActive: false, deactivatedAt: expect.any(Date) });
      const listed = await call<{ id: string }[]>(gw, 'GET', '/api-keys', { key: ADMIN_KEY });
      expect(listed.data.map((k) => k.id)).not.toContain(doomed.id);
    });

    it('trusts a cached lookup for at most KEY_CACHE_TTL_MS (a key deleted elsewhere)', async () => {
      const fresh = (await createKey(ADMIN_KEY, { tenant_id: 'acme', name: 'elsewhere' })).data;
      const authenticator = gw.app.get(ApiKeyAuthenticator);
      const t0 = Date.now() + 60_000; // past anything cached by the requests above
      expect(await authenticator.authenticate(fresh.key, t0)).toMatchObject({
        tenantId: 'acme',
        keyId: fresh.id,
      });
      // Another replica deactivates it: only the database changes.
      await backend.db.dataSource.getRepository(ApiKeyEntity).update({ id: fresh.id }, { isActive: false });
      expect(await authenticator.authenticate(fresh.key, t0 + KEY_CACHE_TTL_MS - 1)).not.toBeNull();
      expect(await authenticator.authenticate(fresh.key, t0 + KEY_CACHE_TTL_MS)).toBeNull();
    });

    it("suggests only the tenant's own workflow names in a 404 (did you mean), never another tenant's", async () => {
      const secret = 'name: Globex Payroll Export\nsteps:\n  - id: only\n    prompt: "Say hello"\n';
      expect(
        (await call(gw, 'POST', '/workflows', { key: globex.key, body: { content: secret } })).status,
      ).toBe(201);
      const mine = 'name: Acme Lead Scoring\nsteps:\n  - id: only\n    prompt: "Say hello"\n';
      expect((await call(gw, 'POST', '/workflows', { key: acme.key, body: { content: mine } })).status).toBe(
        201,
      );

      const typo = await call(gw, 'POST', '/workflows/run', {
        key: acme.key,
        body: { workflow: 'acme-lead-scorng' },
      });
      expect(typo.status).toBe(404);
      expect(typo.error).toEqual({
        code: 'WORKFLOW_NOT_FOUND',
        message: "workflow 'acme-lead-scorng' not found (did you mean 'acme-lead-scoring'?)",
        details: [
          {
            field: 'workflow',
            message: "did you mean 'acme-lead-scoring'?",
            suggestion: 'acme-lead-scoring',
          },
        ],
      });
      const get = await call(gw, 'GET', '/workflows/Acme%20Lead%20Scoring', { key: acme.key });
      expect(get.error?.message).toContain("did you mean 'acme-lead-scoring'?");

      const probe = await call(gw, 'GET', '/workflows/globex-payroll-exprt', { key: acme.key });
      expect(probe.status).toBe(404);
      expect(probe.error).toEqual({
        code: 'WORKFLOW_NOT_FOUND',
        message: "workflow 'globex-payroll-exprt' not found",
      });
    });

    it('sends CORS headers on refusals and lets preflights through without a key', async () => {
      const refused = await call(gw, 'GET', '/runs', { headers: { origin: ORIGIN } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const preflight = await fetch(`${gw.url}/runs`, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'x-api-key',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('X-API-Key');
    });
  });

  describe('rate limit', () => {
    it('answers 429 RATE_LIMITED with Retry-After once a tenant spends its bucket; other tenants are unaffected', async () => {
      const gw = await boot({
        AUTH_REQUIRED: 'true',
        ADMIN_API_KEY: ADMIN_KEY,
        API_KEY_SECRET: SECRET,
        RATE_LIMIT_PER_MINUTE: '3',
      });
      const make = async (tenant: string): Promise<string> => {
        const created = await call<CreatedKey>(gw, 'POST', '/api-keys', {
          key: ADMIN_KEY,
          body: { tenant_id: tenant, name: 'limited' },
        });
        return created.data.key;
      };
      // The admin bucket has 3 tokens: two creations, then one more call below would be the third.
      const first = await make('rl-one');
      const second = await make('rl-two');
      for (let i = 0; i < 3; i++) expect((await call(gw, 'GET', '/runs', { key: first })).status).toBe(200);
      const limited = await call(gw, 'GET', '/runs', { key: first });
      expect(limited.status).toBe(429);
      expect(limited.error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await call(gw, 'GET', '/runs', { key: second })).status).toBe(200);
      // Probes are never limited.
      expect((await call(gw, 'GET', '/health')).status).toBe(200);
    });
  });

  describe('with AUTH_REQUIRED=false', () => {
    it('serves everyone as tenant "default", warns at start, and manages keys only with the admin key', async () => {
      const gw = await boot({ ADMIN_API_KEY: ADMIN_KEY, API_KEY_SECRET: SECRET });
      expect(
        gw.lines.find((l) => l['level'] === 'warn' && String(l['msg']).includes('AUTH_REQUIRED is false')),
      ).toBeDefined();
      expect((await call(gw, 'GET', '/runs')).status).toBe(200);
      const anonymous = await call(gw, 'POST', '/api-keys', { body: { tenant_id: 'default', name: 'x' } });
      expect(anonymous.status).toBe(401);
      const byAdmin = await call<CreatedKey>(gw, 'POST', '/api-keys', {
        key: ADMIN_KEY,
        body: { tenant_id: 'acme', name: 'prepared before auth is on' },
      });
      expect(byAdmin.status).toBe(201);
      // Without auth a tenant key does not switch tenants: everything is `default`.
      const saved = await call<{ name: string }>(gw, 'POST', '/workflows', {
        key: byAdmin.data.key,
        body: { name: 'anon-flow', content: WORKFLOW },
      });
      expect(saved.status).toBe(201);
      expect(
        await backend.db.dataSource.query(`SELECT tenant_id FROM workflows WHERE name = 'anon-flow'`),
      ).toEqual([{ tenant_id: 'default' }]);
      // A key in the URL is refused whatever the mode.
      expect((await call(gw, 'GET', '/runs?token=abc')).status).toBe(401);
    });
  });
});
