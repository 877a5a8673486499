import { DeadLetterItemEntity, RunEntity } from '@sandcastle/persistence';
import type { QueryDeepPartialEntity } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { addCommandConsumer, commandFor } from '../testing/command-reader';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import type { DeadLetterItemView, DeadLetterRetriedView } from './dead-letter.views';

describe('dead letter routes (real PostgreSQL and NATS)', () => {
  const t0 = Date.parse('2032-01-01T00:00:00Z');
  const at = (minutes: number) => new Date(t0 + minutes * 60_000);
  let gw: TestGateway;

  const runs = () => gw.db.dataSource.getRepository(RunEntity);
  const items = () => gw.db.dataSource.getRepository(DeadLetterItemEntity);

  async function insertRun(fields: QueryDeepPartialEntity<RunEntity> = {}): Promise<string> {
    const id = randomUUID();
    await runs().insert({
      id,
      tenantId: 'default',
      workflowName: 'dlq-flow',
      workflowVersion: 2,
      definition: { title: 'DLQ Flow', steps: [{ id: 'a' }, { id: 'b' }] },
      inputData: { lead: 'acme' },
      status: 'completed',
      maxCostUsd: 3,
      callbackUrl: 'http://localhost:9999/done',
      rootRunId: id,
      ...fields,
    });
    return id;
  }

  async function insertItem(
    runId: string,
    fields: QueryDeepPartialEntity<DeadLetterItemEntity> = {},
  ): Promise<string> {
    const result = await items().insert({
      tenantId: 'default',
      runId,
      workflowName: 'dlq-flow',
      stepId: 'b',
      itemIndex: null,
      error: 'fake sandbox failure',
      inputData: { lead: 'acme' },
      attempts: 3,
      ...fields,
    });
    return (result.identifiers[0] as { id: string }).id;
  }

  async function startCommandFor(runId: string): Promise<{ msgId?: string; payload: unknown }> {
    const { msgId, payload } = await commandFor(gw.nc, gw.names, 'start-test', runId);
    return { msgId, payload };
  }

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'dl',
      env: { LOG_LEVEL: 'warn', DB_POOL_SIZE: '8' },
    });
    await addCommandConsumer(gw.nc, gw.names, 'start-test', gw.names.subjects.runStart);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  describe('GET /dead-letter', () => {
    let runId: string;
    let ids: Record<string, string>;

    beforeAll(async () => {
      runId = await insertRun();
      ids = {
        oldest: await insertItem(runId, { stepId: 'a', createdAt: at(0) }),
        fanOut: await insertItem(runId, {
          stepId: 'each',
          itemIndex: 2,
          createdAt: at(1),
          inputData: { lead: 'acme', _item: 'x', _index: 2 },
        }),
        resolved: await insertItem(runId, {
          stepId: 'c',
          createdAt: at(2),
          resolvedAt: at(3),
          resolvedBy: 'manual',
          resolutionReason: 'fixed upstream',
        }),
        newest: await insertItem(runId, { stepId: 'b', createdAt: at(4) }),
      };
      const foreignRun = await insertRun({ tenantId: 'tenant-b' });
      await insertItem(foreignRun, { tenantId: 'tenant-b', createdAt: at(5) });
    });

    it("lists the tenant's open items newest first, with the open count", async () => {
      const response = await gw.api<DeadLetterItemView[]>('GET', '/dead-letter');
      expect(response.status).toBe(200);
      expect(response.data.map((i) => i.id)).toEqual([ids['newest'], ids['fanOut'], ids['oldest']]);
      expect(response.meta).toEqual({ total: 3, limit: 50, offset: 0, open: 3 });
      expect(response.data[1]).toEqual({
        id: ids['fanOut'],
        run_id: runId,
        workflow_name: 'dlq-flow',
        step_id: 'each',
        parallel_index: 2,
        error: 'fake sandbox failure',
        input_data: { lead: 'acme', _item: 'x', _index: 2 },
        attempts: 3,
        created_at: at(1).toISOString(),
        resolved_at: null,
        resolved_by: null,
        resolution_reason: null,
        retry_run_id: null,
      });
      expect(response.data[0]?.parallel_index).toBeNull();
    });

    it('lists resolved items too with resolved=true, and pages', async () => {
      const all = await gw.api<DeadLetterItemView[]>('GET', '/dead-letter?resolved=true&limit=2&offset=1');
      expect(all.data.map((i) => i.id)).toEqual([ids['resolved'], ids['fanOut']]);
      expect(all.meta).toEqual({ total: 4, limit: 2, offset: 1, open: 3 });
      expect(all.data[0]).toMatchObject({
        resolved_at: at(3).toISOString(),
        resolved_by: 'manual',
        resolution_reason: 'fixed upstream',
      });
      const open = await gw.api<DeadLetterItemView[]>('GET', '/dead-letter?resolved=false');
      expect(open.meta?.['total']).toBe(3);
    });

    it('refuses bad query strings field by field', async () => {
      for (const [query, field] of [
        ['resolved=maybe', 'resolved'],
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['offset=-1', 'offset'],
        ['status=open', 'status'],
      ]) {
        const response = await gw.api('GET', `/dead-letter?${query}`);
        expect([query, response.status, response.error?.code]).toEqual([query, 400, 'VALIDATION_ERROR']);
        expect(response.error?.details?.map((d) => d.field)).toEqual([field]);
      }
    });
  });

  describe('POST /dead-letter/{id}/retry', () => {
    it('closes the item and starts a full new run of the original, linked to it', async () => {
      const rootId = await insertRun();
      const originalId = await insertRun({ kind: 'replay', parentRunId: rootId, rootRunId: rootId });
      const itemId = await insertItem(originalId);

      const response = await gw.api<DeadLetterRetriedView>('POST', `/dead-letter/${itemId}/retry`);
      expect(response.status).toBe(200);
      expect(response.data).toEqual({
        retried: true,
        dlq_item_id: itemId,
        run_id: expect.any(String),
        new_run_id: response.data.run_id,
      });
      const newId = response.data.new_run_id;

      const original = await runs().findOneByOrFail({ id: originalId });
      expect(await runs().findOneByOrFail({ id: newId })).toMatchObject({
        tenantId: 'default',
        status: 'queued',
        kind: 'original',
        parentRunId: originalId,
        rootRunId: rootId,
        replayFromStep: null,
        workflowName: 'dlq-flow',
        workflowVersion: 2,
        definition: original.definition,
        inputData: { lead: 'acme' },
        maxCostUsd: 3,
        callbackUrl: 'http://localhost:9999/done',
      });
      expect(await startCommandFor(newId)).toEqual({
        msgId: `start:${newId}`,
        payload: { v: 1, tenantId: 'default', runId: newId },
      });
      const item = await items().findOneByOrFail({ id: itemId });
      expect(item).toMatchObject({ resolvedBy: 'retry', retryRunId: newId, resolutionReason: null });
      expect(item.resolvedAt).toBeInstanceOf(Date);

      const again = await gw.api('POST', `/dead-letter/${itemId}/retry`);
      expect([again.status, again.error?.code]).toEqual([409, 'ALREADY_RESOLVED']);
      expect(again.error?.message).toContain(`retried as run '${newId}'`);
      const resolve = await gw.api('POST', `/dead-letter/${itemId}/resolve`, { reason: 'late' });
      expect([resolve.status, resolve.error?.code]).toEqual([409, 'ALREADY_RESOLVED']);
    });

    it('lets exactly one of two concurrent retries create a run; the other gets 409', async () => {
      const originalId = await insertRun();
      const itemId = await insertItem(originalId);
      const answers = await Promise.all([
        gw.api<DeadLetterRetriedView>('POST', `/dead-letter/${itemId}/retry`),
        gw.api<DeadLetterRetriedView>('POST', `/dead-letter/${itemId}/retry`),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)?.error?.code).toBe('ALREADY_RESOLVED');
      const winner = answers.find((a) => a.status === 200)!.data.new_run_id;
      expect((await runs().findBy({ parentRunId: originalId })).map((r) => r.id)).toEqual([winner]);
      expect((await items().findOneByOrFail({ id: itemId })).retryRunId).toBe(winner);
    });

    it('lets exactly one of a retry and a resolve racing for the same item win', async () => {
      const originalId = await insertRun();
      const itemId = await insertItem(originalId);
      const [retry, resolve] = await Promise.all([
        gw.api('POST', `/dead-letter/${itemId}/retry`),
        gw.api('POST', `/dead-letter/${itemId}/resolve`, { reason: 'race' }),
      ]);
      expect([retry.status, resolve.status].sort()).toEqual([200, 409]);
      const item = await items().findOneByOrFail({ id: itemId });
      const created = await runs().countBy({ parentRunId: originalId });
      if (retry.status === 200) expect([item.resolvedBy, created]).toEqual(['retry', 1]);
      else expect([item.resolvedBy, item.resolutionReason, created]).toEqual(['manual', 'race', 0]);
    });

    it("answers 404 for an unknown or another tenant's item and 400 for a malformed id", async () => {
      const foreignRun = await insertRun({ tenantId: 'tenant-b' });
      const foreignItem = await insertItem(foreignRun, { tenantId: 'tenant-b' });
      for (const id of [randomUUID(), foreignItem]) {
        const response = await gw.api('POST', `/dead-letter/${id}/retry`);
        expect([response.status, response.error?.code]).toEqual([404, 'DLQ_ITEM_NOT_FOUND']);
      }
      expect((await items().findOneByOrFail({ id: foreignItem })).resolvedAt).toBeNull();
      expect(await runs().countBy({ parentRunId: foreignRun })).toBe(0);
      const malformed = await gw.api('POST', '/dead-letter/nope/retry');
      expect([malformed.status, malformed.error?.code]).toEqual([400, 'INVALID_ID']);
    });
  });

  describe('POST /dead-letter/{id}/resolve', () => {
    it('closes the item by hand with the reason, once', async () => {
      const runId = await insertRun();
      const itemId = await insertItem(runId, { createdAt: at(10) });
      const response = await gw.api<DeadLetterItemView>('POST', `/dead-letter/${itemId}/resolve`, {
        reason: 'customer data was wrong; fixed by hand',
      });
      expect(response.status).toBe(200);
      expect(response.data).toMatchObject({
        id: itemId,
        run_id: runId,
        resolved_by: 'manual',
        resolution_reason: 'customer data was wrong; fixed by hand',
        retry_run_id: null,
        created_at: at(10).toISOString(),
      });
      expect(Date.parse(response.data.resolved_at ?? '')).not.toBeNaN();

      const again = await gw.api('POST', `/dead-letter/${itemId}/resolve`, { reason: 'again' });
      expect([again.status, again.error?.code]).toEqual([409, 'ALREADY_RESOLVED']);
      expect(again.error?.message).toContain('resolved by hand');
      expect((await items().findOneByOrFail({ id: itemId })).resolutionReason).toBe(
        'customer data was wrong; fixed by hand',
      );
      const retry = await gw.api('POST', `/dead-letter/${itemId}/retry`);
      expect([retry.status, retry.error?.code]).toEqual([409, 'ALREADY_RESOLVED']);
    });

    it('takes no body at all, and refuses a reason over 2000 characters or unknown fields', async () => {
      const runId = await insertRun();
      const tooLong = await insertItem(runId);
      const long = await gw.api('POST', `/dead-letter/${tooLong}/resolve`, { reason: 'x'.repeat(2001) });
      expect([long.status, long.error?.details?.map((d) => d.field)]).toEqual([400, ['reason']]);
      const unknown = await gw.api('POST', `/dead-letter/${tooLong}/resolve`, { why: 'x' });
      expect([unknown.status, unknown.error?.details?.map((d) => d.field)]).toEqual([400, ['why']]);
      expect((await items().findOneByOrFail({ id: tooLong })).resolvedAt).toBeNull();

      const bare = await gw.api<DeadLetterItemView>('POST', `/dead-letter/${tooLong}/resolve`);
      expect(bare.status).toBe(200);
      expect(bare.data).toMatchObject({ resolved_by: 'manual', resolution_reason: null });
    });

    it('lets exactly one of two concurrent resolves win', async () => {
      const itemId = await insertItem(await insertRun());
      const answers = await Promise.all([
        gw.api('POST', `/dead-letter/${itemId}/resolve`, { reason: 'first' }),
        gw.api('POST', `/dead-letter/${itemId}/resolve`, { reason: 'second' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    });

    it("answers 404 for an unknown or another tenant's item", async () => {
      const foreignItem = await insertItem(await insertRun({ tenantId: 'tenant-b' }), {
        tenantId: 'tenant-b',
      });
      for (const id of [randomUUID(), foreignItem]) {
        const response = await gw.api('POST', `/dead-letter/${id}/resolve`, {});
        expect([response.status, response.error?.code]).toEqual([404, 'DLQ_ITEM_NOT_FOUND']);
      }
      expect((await items().findOneByOrFail({ id: foreignItem })).resolvedAt).toBeNull();
    });
  });
});
