import { randomBytes } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import { collectFieldUses, conflictingKinds, type FieldUse } from './field-catalogue.util';

/** Maps whose keys are the user's data (step ids, input fields), not API field names. */
const FREE_FORM = new Set([
  'changes',
  'input',
  'input_data',
  'outputs',
  'output',
  'output_schema',
  'metadata',
  'definition',
  'env',
  'properties',
]);

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: { example?: { data?: unknown } } }> }>;
}

describe('OpenAPI document: one name, one meaning (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;
  let document: { paths: Record<string, Record<string, Operation>> };
  let uses: FieldUse[];

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'gwnames',
      env: { DB_POOL_SIZE: '2', AUTH_REQUIRED: 'true', API_KEY_SECRET: randomBytes(32).toString('hex') },
    });
    const response = await fetch(`${gw.url}/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
    uses = collectFieldUses(document, FREE_FORM);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('finds the fields of requests, parameters and answers', () => {
    const names = new Set(uses.map((use) => use.name));
    expect(names.size).toBeGreaterThan(40);
    for (const name of ['run_id', 'workflow', 'status', 'created_at', 'limit', 'from_step', 'tenant_id']) {
      expect(names).toContain(name);
    }
  });

  it('gives every field name one type and format everywhere', () => {
    // The one exception, on purpose: a workflow's `steps[].id` is the step id of the YAML format
    // (docs/workflow-yaml.md), a name like `scrape`; every other `id` is a resource's UUID.
    const yamlStepId = (use: FieldUse) => use.name === 'id' && /\.steps\[\d+\]\.id$/.test(use.where);
    expect(conflictingKinds(uses.filter((use) => !yamlStepId(use)))).toEqual({});
  });

  it('names fields in snake_case', () => {
    const wrong = [...new Set(uses.map((use) => use.name))].filter(
      (name) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name),
    );
    expect(wrong).toEqual([]);
  });

  it('holds ids in fields named id or *_id, and *_id fields hold strings', () => {
    const wrong = uses
      .filter((use) =>
        use.kind === 'uuid' ? !/(^|_)id$/.test(use.name) : /(^|_)id$/.test(use.name) && use.kind !== 'string',
      )
      .map((use) => `${use.name} (${use.kind}) at ${use.where}`);
    expect(wrong).toEqual([]);
  });

  it('answers every request that starts a run with run_id', () => {
    const starters = [
      ['/workflows/run', 'post', '202'],
      ['/runs/{id}/replay', 'post', '202'],
      ['/runs/{id}/fork', 'post', '202'],
      ['/dead-letter/{id}/retry', 'post', '200'],
    ] as const;
    for (const [path, method, status] of starters) {
      const example =
        document.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema?.example;
      expect({ path, data: example?.data }).toEqual({
        path,
        data: expect.objectContaining({ run_id: expect.any(String) }),
      });
    }
  });
});
