import { randomBytes } from 'node:crypto';
import type { RunView } from '@sandcastle/contracts';
import { E2eStack, isFinished, yaml, type ApiAnswer } from './support/e2e-stack';

const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`;
const API_KEY_SECRET = randomBytes(32).toString('hex');

/** Routes anyone may call without a key. */
const PUBLIC = /^\/(health|metrics|docs)/;
/** Routes for the admin key only (docs/security.md). */
const ADMIN_ONLY_READS = new Set(['get /admin/message-dead-letters']);

interface CreatedKey {
  id: string;
  key: string;
  tenant_id: string;
}

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: SchemaRef }> };
}

interface SchemaRef {
  $ref?: string;
  type?: string;
  example?: unknown;
  items?: SchemaRef;
  allOf?: SchemaRef[];
  properties?: Record<string, SchemaRef>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas?: Record<string, SchemaRef> };
}

/** A request body made of the examples the OpenAPI document gives for each field. */
function exampleBody(document: OpenApiDocument, operation: OpenApiOperation): unknown {
  const build = (schema: SchemaRef | undefined): unknown => {
    if (!schema) return undefined;
    if (schema.$ref) return build(document.components.schemas?.[schema.$ref.split('/').pop() ?? '']);
    if (schema.example !== undefined) return schema.example;
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map(build));
    if (schema.properties) {
      return Object.fromEntries(
        Object.entries(schema.properties).map(([name, field]) => [name, build(field)]),
      );
    }
    return undefined;
  };
  return build(operation.requestBody?.content?.['application/json']?.schema);
}

/**
 * Tenant isolation through the running services with AUTH_REQUIRED=true: tenant A makes a
 * workflow, runs, and a dead letter item; tenant B then walks EVERY route of the gateway, as
 * listed by its own OpenAPI document (so a route added later is walked too, or fails this test),
 * and must see nothing of A's: 404 on every route that names one of A's objects, and lists
 * without them.
 */
describe('tenants end to end', () => {
  let sc: E2eStack;
  let keyA: CreatedKey;
  let keyB: CreatedKey;
  let document: OpenApiDocument;
  const objectsOfA = { workflow: '', run: '', deadLetter: '', apiKey: '', schedule: '', delivery: '' };

  const as = (key: string) => ({ 'x-api-key': key });
  const api = async <T = unknown>(
    key: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer<T>> => sc.api<T>(method, path, body, as(key));

  async function createKey(tenant: string, name: string): Promise<CreatedKey> {
    const created = await api<CreatedKey>(ADMIN_KEY, 'POST', '/api-keys', { tenant_id: tenant, name });
    if (created.status !== 201) throw new Error(`key not created: ${JSON.stringify(created.body)}`);
    return created.body.data;
  }

  async function waitForRunOf(key: string, runId: string): Promise<RunView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await api<RunView>(key, 'GET', `/runs/${runId}`);
      if (answer.status === 200 && isFinished(answer.body.data)) return answer.body.data;
      if (Date.now() > deadline)
        throw new Error(`run ${runId} did not finish: ${JSON.stringify(answer.body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    sc = await E2eStack.start({ env: { AUTH_REQUIRED: 'true', ADMIN_API_KEY: ADMIN_KEY, API_KEY_SECRET } });
    const suffix = randomBytes(3).toString('hex');
    keyA = await createKey(`tenant-a-${suffix}`, 'tenant A');
    keyB = await createKey(`tenant-b-${suffix}`, 'tenant B');
    objectsOfA.apiKey = (await createKey(keyA.tenant_id, 'second key of A')).id;

    const saved = await api<{ name: string }>(keyA.key, 'POST', '/workflows', {
      name: 'a-private-flow',
      content: yaml([
        'name: A Private Flow',
        'runtime: simulated',
        'on_failure: { dead_letter: true }',
        'steps:',
        '  - id: first',
        '    prompt: "hello {input.who}"',
        '  - id: broken',
        '    depends_on: [first]',
        '    prompt: "always fails"',
        '    simulation: { failure_rate: 1 }',
      ]),
    });
    expect(saved.status).toBe(201);
    objectsOfA.workflow = saved.body.data.name;
    const started = await api<{ run_id: string }>(keyA.key, 'POST', '/workflows/run', {
      workflow: objectsOfA.workflow,
      input: { who: 'A' },
      // A public address: the notifier records a delivery for it (it cannot be reached from here).
      callback_url: 'https://hooks.example.com/a',
    });
    expect(started.status).toBe(202);
    objectsOfA.run = started.body.data.run_id;
    await waitForRunOf(keyA.key, objectsOfA.run);

    const deadline = Date.now() + 30_000;
    while (!objectsOfA.deadLetter) {
      const items = await api<{ id: string; run_id: string }[]>(keyA.key, 'GET', '/dead-letter');
      objectsOfA.deadLetter = items.body.data.find((item) => item.run_id === objectsOfA.run)?.id ?? '';
      if (!objectsOfA.deadLetter && Date.now() > deadline)
        throw new Error('no dead letter item for the run of A');
      if (!objectsOfA.deadLetter) await new Promise((r) => setTimeout(r, 100));
    }

    const schedule = await api<{ id: string }>(keyA.key, 'POST', '/schedules', {
      workflow_name: objectsOfA.workflow,
      cron_expression: '0 0 1 1 *',
      enabled: false,
    });
    expect(schedule.status).toBe(201);
    objectsOfA.schedule = schedule.body.data.id;
    while (!objectsOfA.delivery) {
      const deliveries = await api<{ id: string }[]>(keyA.key, 'GET', `/runs/${objectsOfA.run}/deliveries`);
      objectsOfA.delivery = deliveries.body.data[0]?.id ?? '';
      if (!objectsOfA.delivery && Date.now() > deadline) throw new Error('no delivery for the run of A');
      if (!objectsOfA.delivery) await new Promise((r) => setTimeout(r, 100));
    }

    const docs = await fetch(`${sc.stack.gatewayUrl}/docs-json`);
    expect(docs.status).toBe(200);
    document = (await docs.json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await sc?.stop();
  });

  it("answers 404 to tenant B on every route that names one of A's objects, and lists none of them", async () => {
    /** What stands for `{id}` / `{name}` (and `{seq}`) in each resource's paths: one of A's objects. */
    const objectFor = (path: string, param: string): string => {
      // A checkpoint A's run has (its first step completed), so a 404 can only come from the run being A's.
      if (param === 'seq' && /^\/runs\/\{id\}\/checkpoints\//.test(path)) return '1';
      // A version A's workflow has, so a 404 can only come from the workflow being A's.
      if (param === 'version' && path.startsWith('/workflows/')) return '1';
      if (path.startsWith('/runs/')) return objectsOfA.run;
      if (path.startsWith('/dead-letter/')) return objectsOfA.deadLetter;
      if (path.startsWith('/api-keys/')) return objectsOfA.apiKey;
      if (path.startsWith('/workflows/')) return objectsOfA.workflow;
      if (path.startsWith('/schedules/')) return objectsOfA.schedule;
      if (path.startsWith('/deliveries/')) return objectsOfA.delivery;
      throw new Error(
        `no object of tenant A for ${path}: teach this test which one stands for its parameter`,
      );
    };
    /** Routes without a parameter that change things: what B sends, and what B must get. */
    const writes: Record<string, { body: unknown; status: number }> = {
      // A's workflow name means nothing to B.
      'post /workflows/run': { body: { workflow: 'a-private-flow' }, status: 404 },
      'post /workflows/run/sync': { body: { workflow: 'a-private-flow' }, status: 404 },
      // B may use the same name: it is B's own, first version.
      'post /workflows': {
        body: {
          name: 'a-private-flow',
          content: yaml(['name: B Flow', 'steps:', '  - id: only', '    prompt: "b"']),
        },
        status: 201,
      },
      'post /api-keys': { body: { tenant_id: keyA.tenant_id, name: 'sneaky' }, status: 403 },
      // A's workflow name means nothing to B here either (B's own copy is saved after this).
      'post /schedules': {
        body: { workflow_name: 'only-a-has-this', cron_expression: '0 0 1 1 *' },
        status: 404,
      },
    };
    // What would show that B sees A's objects (A's workflow by its title: B saves one with the same name).
    const secrets = [
      objectsOfA.run,
      objectsOfA.deadLetter,
      objectsOfA.apiKey,
      'A Private Flow',
      keyA.tenant_id,
      objectsOfA.schedule,
      objectsOfA.delivery,
    ];

    const walked: string[] = [];
    const pendingWrites: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (PUBLIC.test(path)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method} ${path}`;
        walked.push(route);
        if (/\{\w+\}/.test(path)) {
          const concrete = path.replace(/\{(\w+)\}/g, (_, param: string) => objectFor(path, param));
          const answer = await api(
            keyB.key,
            method.toUpperCase(),
            concrete,
            exampleBody(document, operation),
          );
          // The message is there to explain a failure; only route, status and code are compared.
          const seen = {
            route,
            status: answer.status,
            code: answer.body?.error?.code,
            message: answer.body?.error?.message,
          };
          expect(seen).toMatchObject({
            route,
            status: 404,
            code: expect.stringMatching(/_NOT_FOUND$/),
          });
        } else if (method === 'get' && ADMIN_ONLY_READS.has(route)) {
          // Operator data (every tenant's): a tenant key gets 403, never a list.
          const answer = await api(keyB.key, 'GET', path);
          expect({ route, status: answer.status, code: answer.body?.error?.code }).toEqual({
            route,
            status: 403,
            code: 'FORBIDDEN',
          });
        } else if (method === 'get') {
          const answer = await api(keyB.key, 'GET', path);
          expect({ route, status: answer.status }).toEqual({ route, status: 200 });
          const text = JSON.stringify(answer.body);
          for (const secret of secrets)
            expect({ route, leaks: text.includes(secret) }).toEqual({ route, leaks: false });
        } else {
          if (!writes[route]) throw new Error(`${route}: teach this test what tenant B sends and must get`);
          pendingWrites.push(route);
        }
      }
    }
    // Writes last, so B's own objects (a workflow named like A's) cannot change what B read above.
    for (const route of pendingWrites) {
      const [method = '', path = ''] = route.split(' ');
      const expected = writes[route]!;
      const answer = await api(keyB.key, method.toUpperCase(), path, expected.body);
      expect({ route, status: answer.status }).toEqual({ route, status: expected.status });
    }
    // The walk covered the routes that exist today (and whatever is added later).
    expect(walked).toEqual(
      expect.arrayContaining([
        'get /runs/{id}',
        'get /runs/{id}/stream',
        'post /runs/{id}/cancel',
        'post /runs/{id}/replay',
        'post /runs/{id}/fork',
        'get /runs/{id}/lineage',
        'get /runs/{id}/checkpoints',
        'get /runs/{id}/checkpoints/{seq}',
        'get /workflows/{name}',
        'delete /workflows/{name}',
        'post /dead-letter/{id}/retry',
        'post /dead-letter/{id}/resolve',
        'delete /api-keys/{id}',
        'get /runs',
        'get /dead-letter',
        'get /api-keys',
        'get /stats',
        'get /workflows',
        'get /schedules/{id}',
        'patch /schedules/{id}',
        'delete /schedules/{id}',
        'get /schedules',
        'get /runs/{id}/deliveries',
        'post /deliveries/{id}/redeliver',
      ]),
    );

    // Nothing of A's changed: its workflow, run, item and key are all still there for A.
    const workflowOfA = await api<{ version: number; title: string }>(
      keyA.key,
      'GET',
      `/workflows/${objectsOfA.workflow}`,
    );
    expect(workflowOfA.body.data).toMatchObject({ title: 'A Private Flow' });
    const runOfA = await api<RunView>(keyA.key, 'GET', `/runs/${objectsOfA.run}`);
    expect(runOfA.body.data.status).not.toBe('cancelled');
    const openOfA = await api<{ id: string }[]>(keyA.key, 'GET', '/dead-letter');
    expect(openOfA.body.data.map((item) => item.id)).toContain(objectsOfA.deadLetter);
    const keysOfA = await api<{ id: string }[]>(keyA.key, 'GET', '/api-keys');
    expect(keysOfA.body.data.map((key) => key.id)).toContain(objectsOfA.apiKey);
    const lineage = await api<{ children: unknown[] }>(keyA.key, 'GET', `/runs/${objectsOfA.run}/lineage`);
    expect(lineage.body.data.children).toEqual([]);
  });

  it('lets every tenant list and run the shared workflows of WORKFLOWS_DIR, each run its own', async () => {
    for (const key of [keyA, keyB]) {
      const listed = await api<{ name: string }[]>(key.key, 'GET', '/workflows');
      expect(listed.body.data.map((w) => w.name)).toEqual(
        expect.arrayContaining(['lead-enrichment', 'competitor-monitor', 'support-ticket-triage']),
      );
    }
    const started = await api<{ run_id: string }>(keyB.key, 'POST', '/workflows/run', {
      workflow: 'lead-enrichment',
      input: { target_url: 'https://example.com' },
    });
    expect(started.status).toBe(202);
    const run = await waitForRunOf(keyB.key, started.body.data.run_id);
    expect(run.status).toBe('completed');
    expect((await api(keyA.key, 'GET', `/runs/${run.run_id}`)).status).toBe(404);
    // A shared workflow is not a tenant's to delete.
    expect((await api(keyB.key, 'DELETE', '/workflows/lead-enrichment')).status).toBe(404);
  });

  it('refuses requests without a key, with a bad key, and with a key in the URL', async () => {
    const none = await sc.api('GET', '/runs');
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe('UNAUTHORIZED');
    expect((await api(`sc_${randomBytes(32).toString('base64url')}`, 'GET', '/runs')).status).toBe(401);
    expect((await api('nonsense', 'GET', '/runs')).status).toBe(401);
    const inUrl = await sc.api('GET', `/runs?token=${keyA.key}`);
    expect(inUrl.status).toBe(401);
    expect(inUrl.body.error?.message).toContain('URL');
    const stream = await sc.api('GET', `/runs/${objectsOfA.run}/stream?api_key=${keyA.key}`);
    expect(stream.status).toBe(401);
    // Probes and the API description stay open.
    expect((await sc.api('GET', '/health')).status).toBe(200);
  });

  it('stops a key deleted while in use on the next request', async () => {
    const doomed = await createKey(keyA.tenant_id, 'short-lived');
    expect((await api(doomed.key, 'GET', '/runs')).status).toBe(200);
    const deleted = await api(doomed.key, 'DELETE', `/api-keys/${doomed.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual({ deactivated: true, id: doomed.id });
    const after = await api(doomed.key, 'GET', '/runs');
    expect(after.status).toBe(401);
  });

  it('lets the admin key read across tenants but not act for one', async () => {
    expect((await api(ADMIN_KEY, 'GET', `/runs/${objectsOfA.run}`)).status).toBe(200);
    expect((await api(ADMIN_KEY, 'GET', `/runs/${objectsOfA.run}/lineage`)).status).toBe(200);
    const runs = await api<{ run_id: string }[]>(ADMIN_KEY, 'GET', '/runs');
    expect(runs.body.data.map((r) => r.run_id)).toContain(objectsOfA.run);
    const items = await api<{ id: string }[]>(ADMIN_KEY, 'GET', '/dead-letter');
    expect(items.body.data.map((i) => i.id)).toContain(objectsOfA.deadLetter);
    const keys = await api<{ tenant_id: string }[]>(ADMIN_KEY, 'GET', '/api-keys');
    expect(new Set(keys.body.data.map((k) => k.tenant_id))).toEqual(
      new Set([keyA.tenant_id, keyB.tenant_id]),
    );
    const write = await api(ADMIN_KEY, 'POST', `/runs/${objectsOfA.run}/cancel`);
    expect(write.status).toBe(403);
  });
});
