import { randomUUID } from 'node:crypto';
import { DeadLetterItemEntity, RunEntity, WorkflowEntity } from '@sandcastle/persistence';
import { parseWorkflowYaml } from '@sandcastle/workflow';
import type { QueryDeepPartialEntity } from 'typeorm';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';

/**
 * Item 1 of the trust boundary at the gateway, against real PostgreSQL and NATS: a workflow may
 * only name configured endpoints and allow-listed variables, at save and at every kind of run.
 */
describe('trust boundary at the gateway (real PostgreSQL and NATS)', () => {
  const ADMIN_KEY = `admin-${'a'.repeat(40)}`;
  const KEY_SECRET = `secret-${'b'.repeat(40)}`;
  let gw: TestGateway;

  const yaml = (extra: string[]) =>
    ['name: Boundary Flow', ...extra, 'steps:', '  - id: a', '    prompt: p', ''].join('\n');
  const runs = () => gw.db.dataSource.getRepository(RunEntity);

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'trust',
      env: {
        SANDSTORM_URL: 'http://sandstorm.internal.test:8000',
        SANDSTORM_ENDPOINTS: 'gpu=http://sandstorm-gpu.internal.test:8000',
        ADMIN_API_KEY: ADMIN_KEY,
        API_KEY_SECRET: KEY_SECRET,
      },
      logLevel: 'debug',
    });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  const noSecret = (value: unknown) => {
    const text = JSON.stringify(value);
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain(KEY_SECRET);
  };

  it.each([
    ['${ADMIN_API_KEY}'],
    ['${API_KEY_SECRET}'],
    ['https://attacker.example'],
    ['http://127.0.0.1:8000'],
    ['http://169.254.169.254/latest/meta-data/'],
    ['eu'],
  ])('refuses sandstorm_url %s at save and at run, naming the field, creating nothing', async (url) => {
    const before = await runs().count();
    const saved = await gw.api('POST', '/workflows', {
      name: 'boundary',
      content: yaml([`sandstorm_url: "${url}"`]),
    });
    const run = await gw.api('POST', '/workflows/run', { workflow: yaml([`sandstorm_url: "${url}"`]) });
    for (const answer of [saved, run]) {
      expect(answer.status).toBe(400);
      expect(answer.error?.code).toBe('INVALID_WORKFLOW');
      expect(answer.error?.details?.map((d) => d.field)).toEqual(['sandstorm_url']);
      noSecret(answer);
    }
    expect(await runs().count()).toBe(before);
    expect((await gw.api('GET', '/workflows/boundary')).status).toBe(404);
  });

  it('accepts configured endpoints by name, URL or allow-listed variable', async () => {
    for (const url of ['gpu', 'default', 'http://sandstorm-gpu.internal.test:8000/', '${SANDSTORM_URL}']) {
      const run = await gw.api('POST', '/workflows/run', { workflow: yaml([`sandstorm_url: "${url}"`]) });
      expect(run.status).toBe(202);
    }
  });

  it('refuses a webhook ${VAR} that is not allow-listed, and a literal private webhook', async () => {
    const cases = [
      ['on_complete: { webhook: "https://hooks.example.com/${ADMIN_API_KEY}" }', 'on_complete.webhook'],
      ['on_failure: { webhook: "http://10.0.0.7/hook" }', 'on_failure.webhook'],
    ] as const;
    for (const [line, field] of cases) {
      const answer = await gw.api('POST', '/workflows', { name: 'hooks', content: yaml([line]) });
      expect(answer.status).toBe(400);
      expect(answer.error?.code).toBe('INVALID_WORKFLOW');
      expect(answer.error?.details?.map((d) => d.field)).toEqual([field]);
      noSecret(answer);
    }
  });

  it('refuses a private callback_url with VALIDATION_ERROR naming the field', async () => {
    for (const callback_url of [
      'http://127.0.0.1:9999/hook',
      'http://2130706433/',
      'http://localhost/x',
      'http://a@10.0.0.1/',
    ]) {
      const answer = await gw.api('POST', '/workflows/run', { workflow: yaml([]), callback_url });
      expect(answer.status).toBe(400);
      expect(answer.error?.code).toBe('VALIDATION_ERROR');
      expect(answer.error?.details?.map((d) => d.field)).toEqual(['callback_url']);
    }
    const ok = await gw.api('POST', '/workflows/run', {
      workflow: yaml([]),
      callback_url: 'https://hooks.example.com/x',
    });
    expect(ok.status).toBe(202);
  });

  it('checks a saved workflow again when it is run (the policy may have changed since)', async () => {
    const saved = await gw.api('POST', '/workflows', {
      name: 'was-fine',
      content: yaml(['sandstorm_url: gpu']),
    });
    expect(saved.status).toBe(201);
    // As if saved before the endpoint was removed from the configuration.
    await gw.db.dataSource
      .getRepository(WorkflowEntity)
      .createQueryBuilder()
      .update()
      .set({ definition: () => `jsonb_set(definition, '{sandstormUrl}', '"https://attacker.example"')` })
      .where('name = :name', { name: 'was-fine' })
      .execute();
    const before = await runs().count();
    const run = await gw.api('POST', '/workflows/run', { workflow_name: 'was-fine' });
    expect(run.status).toBe(400);
    expect(run.error?.code).toBe('INVALID_WORKFLOW');
    expect(run.error?.details?.map((d) => d.field)).toEqual(['sandstorm_url']);
    expect(await runs().count()).toBe(before);
  });

  it('refuses to replay, fork or retry from the dead letter queue a stored run whose endpoint is not configured', async () => {
    const parsed = parseWorkflowYaml(yaml([]));
    if (!parsed.ok) throw new Error('fixture');
    const id = randomUUID();
    await runs().insert({
      id,
      tenantId: 'default',
      workflowName: 'boundary-flow',
      workflowVersion: null,
      definition: {
        ...parsed.definition,
        sandstormUrl: '${ADMIN_API_KEY}',
      } as unknown as QueryDeepPartialEntity<Record<string, unknown>>,
      inputData: {},
      status: 'completed',
      rootRunId: id,
    });
    const inserted = await gw.db.dataSource.getRepository(DeadLetterItemEntity).insert({
      tenantId: 'default',
      runId: id,
      workflowName: 'boundary-flow',
      stepId: 'a',
      itemIndex: null,
      error: 'failed',
      inputData: {},
      attempts: 1,
    });
    const itemId = (inserted.identifiers[0] as { id: string }).id;
    const before = await runs().count();
    const replay = await gw.api('POST', `/runs/${id}/replay`, { from_step: 'a' });
    const fork = await gw.api('POST', `/runs/${id}/fork`, { from_step: 'a', changes: { prompt: 'q' } });
    const retry = await gw.api('POST', `/dead-letter/${itemId}/retry`);
    for (const answer of [replay, fork, retry]) {
      expect(answer.status).toBe(400);
      expect(answer.error?.code).toBe('INVALID_WORKFLOW');
      expect(answer.error?.details?.map((d) => d.field)).toEqual(['sandstorm_url']);
      noSecret(answer);
    }
    expect(await runs().count()).toBe(before);
    // The refused retry rolled back: the item is still open.
    const item = await gw.db.dataSource.getRepository(DeadLetterItemEntity).findOneByOrFail({ id: itemId });
    expect(item.resolvedAt).toBeNull();
  });

  it('never logged a secret value', () => {
    noSecret(gw.lines);
  });
});
