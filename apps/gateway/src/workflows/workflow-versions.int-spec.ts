import { randomBytes } from 'node:crypto';
import type { WorkflowSummaryView, WorkflowView } from '@sandcastle/contracts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';

const ADMIN_KEY = `sc_admin_${randomBytes(16).toString('hex')}`;

const flow = (prompt: string) =>
  `name: Versioned\nsteps:\n  - id: only # a comment kept in every version\n    prompt: "${prompt}"\n`;

describe('GET /workflows/{name}/versions (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'gwver',
      env: {
        DB_POOL_SIZE: '2',
        AUTH_REQUIRED: 'true',
        ADMIN_API_KEY: ADMIN_KEY,
        API_KEY_SECRET: randomBytes(32).toString('hex'),
      },
    });
    const key = async (tenant: string) =>
      (
        await gw.api<{ key: string }>(
          'POST',
          '/api-keys',
          { tenant_id: tenant, name: 'versions' },
          { 'x-api-key': ADMIN_KEY },
        )
      ).data.key;
    acme = await key('acme');
    globex = await key('globex');
    for (const prompt of ['one', 'two', 'three']) {
      const saved = await gw.api(
        'POST',
        '/workflows',
        { name: 'versioned', content: flow(prompt) },
        { 'x-api-key': acme },
      );
      expect(saved.status).toBe(201);
    }
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('lists the versions newest first, paged, with the total', async () => {
    const page = await gw.api<WorkflowSummaryView[]>(
      'GET',
      '/workflows/versioned/versions?limit=2',
      undefined,
      { 'x-api-key': acme },
    );
    expect(page.status).toBe(200);
    expect(page.data.map((v) => v.version)).toEqual([3, 2]);
    expect(page.meta).toEqual({ total: 3, limit: 2, offset: 0 });
    const rest = await gw.api<WorkflowSummaryView[]>(
      'GET',
      '/workflows/versioned/versions?limit=2&offset=2',
      undefined,
      { 'x-api-key': acme },
    );
    expect(rest.data.map((v) => v.version)).toEqual([1]);
  });

  it('answers one version with its YAML exactly as saved', async () => {
    const v1 = await gw.api<WorkflowView>('GET', '/workflows/versioned/versions/1', undefined, {
      'x-api-key': acme,
    });
    expect(v1.status).toBe(200);
    expect(v1.data).toMatchObject({ name: 'versioned', version: 1, content: flow('one') });
    const missing = await gw.api('GET', '/workflows/versioned/versions/9', undefined, { 'x-api-key': acme });
    expect(missing.status).toBe(404);
    expect(missing.error?.code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('refuses a malformed version or paging with VALIDATION_ERROR', async () => {
    for (const path of [
      '/workflows/versioned/versions/0',
      '/workflows/versioned/versions/1e3',
      '/workflows/versioned/versions?limit=500',
    ]) {
      const answer = await gw.api('GET', path, undefined, { 'x-api-key': acme });
      expect({ path, status: answer.status, code: answer.error?.code }).toEqual({
        path,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
    }
  });

  it("never shows another tenant's history", async () => {
    const list = await gw.api('GET', '/workflows/versioned/versions', undefined, { 'x-api-key': globex });
    expect(list.status).toBe(404);
    expect(list.error?.code).toBe('WORKFLOW_NOT_FOUND');
    const one = await gw.api('GET', '/workflows/versioned/versions/1', undefined, { 'x-api-key': globex });
    expect(one.status).toBe(404);
  });
});
