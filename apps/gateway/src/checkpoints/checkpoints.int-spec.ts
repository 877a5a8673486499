import { randomBytes, randomUUID } from 'node:crypto';
import { RunEntity, RunStepEntity } from '@sandcastle/persistence';
import type { QueryDeepPartialEntity } from 'typeorm';
import type { GatewayAnswer } from '../testing/gateway-answer';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import type { CheckpointStateView, CheckpointView } from './checkpoint.views';

const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`;

const DEFINITION = {
  name: 'Checkpointed',
  steps: [
    { id: 'fetch', prompt: 'fetch' },
    { id: 'each', depends_on: ['fetch'], parallel_over: 'steps.fetch.output.items', prompt: 'x' },
    { id: 'maybe', prompt: 'maybe' },
    { id: 'report', depends_on: ['each', 'maybe'], prompt: 'report' },
  ],
};

type StepFields = QueryDeepPartialEntity<RunStepEntity>;

describe('run checkpoints (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;
  let acmeKey: string;
  let globexKey: string;
  /** A run of tenant acme: six checkpoints (plain, fan-out items and aggregate, skipped, dead-lettered). */
  let runId: string;
  let fetchRowId: string;

  const call = <T = unknown>(
    key: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<GatewayAnswer<T>> => gw.api<T>(method, path, body, { 'x-api-key': key });

  const get = <T = unknown>(path: string, key = acmeKey) => call<T>(key, 'GET', path);

  async function insertRun(fields: QueryDeepPartialEntity<RunEntity>): Promise<string> {
    const id = randomUUID();
    await gw.db.dataSource.getRepository(RunEntity).insert({
      id,
      tenantId: 'acme',
      workflowName: 'checkpointed',
      definition: DEFINITION as QueryDeepPartialEntity<Record<string, unknown>>,
      status: 'running',
      rootRunId: id,
      ...fields,
    });
    return id;
  }

  /** Inserts step rows of one run the way the orchestrator leaves them; returns their ids in order. */
  async function insertSteps(run: string, rows: StepFields[]): Promise<string[]> {
    const result = await gw.db.dataSource
      .getRepository(RunStepEntity)
      .insert(rows.map((row) => ({ runId: run, tenantId: 'acme', ...row })));
    return result.identifiers.map((identifier) => String(identifier['id']));
  }

  const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 9, 0, second));

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'gwckpt',
      env: {
        DB_POOL_SIZE: '3',
        AUTH_REQUIRED: 'true',
        ADMIN_API_KEY: ADMIN_KEY,
        API_KEY_SECRET: randomBytes(32).toString('hex'),
      },
    });
    const keyOf = async (tenant: string): Promise<string> => {
      const created = await call<{ key: string }>(ADMIN_KEY, 'POST', '/api-keys', {
        tenant_id: tenant,
        name: tenant,
      });
      if (created.status !== 201) throw new Error(`no key for ${tenant}: ${JSON.stringify(created)}`);
      return created.data.key;
    };
    acmeKey = await keyOf('acme');
    globexKey = await keyOf('globex');

    runId = await insertRun({ checkpointSeq: 6, totalCostUsd: 0.73 });
    [fetchRowId] = (await insertSteps(runId, [
      {
        stepId: 'fetch',
        status: 'completed',
        costUsd: 0.1,
        output: { items: ['a', 'b', 'c'] },
        completedAt: at(1),
        checkpointSeq: 1,
      },
      {
        stepId: 'each',
        itemIndex: 1,
        status: 'completed',
        costUsd: 0.2,
        output: 'B',
        completedAt: at(2),
        checkpointSeq: 2,
      },
      {
        stepId: 'each',
        itemIndex: 0,
        status: 'completed',
        costUsd: 0.3,
        output: 'A',
        completedAt: at(3),
        checkpointSeq: 3,
      },
      // Skipped after failed attempts: it cost something and hands on null (the output column's default).
      {
        stepId: 'maybe',
        status: 'skipped',
        costUsd: 0.01,
        completedAt: at(4),
        checkpointSeq: 4,
      },
      // Dead-lettered item: parked, the run went on.
      {
        stepId: 'each',
        itemIndex: 2,
        status: 'failed',
        costUsd: 0.05,
        completedAt: at(5),
        checkpointSeq: 5,
      },
      // The aggregate: its cost is the sum of its items, already counted.
      {
        stepId: 'each',
        itemCount: 3,
        status: 'completed',
        costUsd: 0.55,
        output: ['A', 'B', null],
        completedAt: at(5),
        checkpointSeq: 6,
      },
      // Still running: not a checkpoint.
      { stepId: 'report', status: 'running', costUsd: 0.07 },
    ])) as [string];
  });

  afterAll(async () => {
    await gw?.stop();
  });

  describe('GET /runs/{id}/checkpoints', () => {
    it('lists every checkpoint in order with the running total, skipping rows that are not checkpoints', async () => {
      const answer = await get<CheckpointView[]>(`/runs/${runId}/checkpoints`);
      expect(answer.status).toBe(200);
      expect(answer.meta).toEqual({ total: 6, limit: 6, offset: 0 });
      expect(
        answer.data.map((c) => [c.seq, c.step_id, c.parallel_index, c.status, c.cost_usd, c.total_cost_usd]),
      ).toEqual([
        [1, 'fetch', null, 'completed', 0.1, 0.1],
        [2, 'each', 1, 'completed', 0.2, 0.3],
        [3, 'each', 0, 'completed', 0.3, 0.6],
        [4, 'maybe', null, 'skipped', 0.01, 0.61],
        [5, 'each', 2, 'failed', 0.05, 0.66],
        [6, 'each', null, 'completed', 0.55, 0.66],
      ]);
      expect(answer.data[0]).toEqual({
        seq: 1,
        step_id: 'fetch',
        parallel_index: null,
        status: 'completed',
        cost_usd: 0.1,
        total_cost_usd: 0.1,
        completed_at: '2026-11-20T09:00:01.000Z',
        restored_from: null,
      });
    });

    it("names the parent run on a replay's restored rows", async () => {
      const replayId = await insertRun({
        kind: 'replay',
        parentRunId: runId,
        rootRunId: runId,
        checkpointSeq: 2,
      });
      await insertSteps(replayId, [
        {
          stepId: 'fetch',
          status: 'completed',
          output: { items: [] },
          restoredFrom: fetchRowId,
          completedAt: at(9),
          checkpointSeq: 1,
        },
        {
          stepId: 'maybe',
          status: 'completed',
          costUsd: 0.02,
          output: 'yes',
          completedAt: at(10),
          checkpointSeq: 2,
        },
      ]);
      const answer = await get<CheckpointView[]>(`/runs/${replayId}/checkpoints`);
      expect(answer.data.map((c) => [c.step_id, c.cost_usd, c.total_cost_usd, c.restored_from])).toEqual([
        ['fetch', 0, 0, runId],
        ['maybe', 0.02, 0.02, null],
      ]);
    });

    it('is an empty list for a run without checkpoints', async () => {
      const fresh = await insertRun({ status: 'queued' });
      const answer = await get<CheckpointView[]>(`/runs/${fresh}/checkpoints`);
      expect([answer.status, answer.data, answer.meta]).toEqual([200, [], { total: 0, limit: 0, offset: 0 }]);
    });
  });

  describe('GET /runs/{id}/checkpoints/{seq}', () => {
    it('shows a fan-out step only once its aggregate is in, its finished items in costs before that', async () => {
      const answer = await get<CheckpointStateView>(`/runs/${runId}/checkpoints/4`);
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({
        run_id: runId,
        seq: 4,
        step_id: 'maybe',
        parallel_index: null,
        outputs: { fetch: { items: ['a', 'b', 'c'] }, maybe: null },
        costs: { fetch: 0.1, 'each[1]': 0.2, 'each[0]': 0.3, maybe: 0.01 },
        total_cost_usd: 0.61,
      });
    });

    it('is the whole state at the last checkpoint, without the step still running', async () => {
      const answer = await get<CheckpointStateView>(`/runs/${runId}/checkpoints/6`);
      expect(answer.data).toEqual({
        run_id: runId,
        seq: 6,
        step_id: 'each',
        parallel_index: null,
        outputs: { fetch: { items: ['a', 'b', 'c'] }, maybe: null, each: ['A', 'B', null] },
        costs: { fetch: 0.1, 'each[1]': 0.2, 'each[0]': 0.3, maybe: 0.01, 'each[2]': 0.05 },
        total_cost_usd: 0.66,
      });
    });

    it('names the item a checkpoint was the completion of', async () => {
      const answer = await get<CheckpointStateView>(`/runs/${runId}/checkpoints/2`);
      expect(answer.data).toMatchObject({
        seq: 2,
        step_id: 'each',
        parallel_index: 1,
        outputs: { fetch: { items: ['a', 'b', 'c'] } },
      });
      expect(Object.keys(answer.data.outputs)).toEqual(['fetch']);
    });

    it('answers 400 VALIDATION_ERROR on seq for a malformed seq or one past the last checkpoint', async () => {
      for (const [seq, message] of [
        ['0', 'seq must be a whole number of 1 or more'],
        ['-1', 'seq must be a whole number of 1 or more'],
        ['1.5', 'seq must be a whole number of 1 or more'],
        ['first', 'seq must be a whole number of 1 or more'],
        ['99999999999', 'seq must be a whole number of 1 or more'],
        ['7', 'seq must be between 1 and 6'],
      ] as const) {
        const answer = await get(`/runs/${runId}/checkpoints/${seq}`);
        expect([seq, answer.status, answer.error?.code, answer.error?.details]).toEqual([
          seq,
          400,
          'VALIDATION_ERROR',
          [{ field: 'seq', message }],
        ]);
      }
      const fresh = await insertRun({ status: 'queued' });
      const none = await get(`/runs/${fresh}/checkpoints/1`);
      expect([none.status, none.error?.details]).toEqual([
        400,
        [{ field: 'seq', message: 'the run has no checkpoint yet' }],
      ]);
    });
  });

  describe('both routes', () => {
    const routes = (id: string) => [`/runs/${id}/checkpoints`, `/runs/${id}/checkpoints/1`];

    it("answer 404 RUN_NOT_FOUND for an unknown or another tenant's run, and 400 INVALID_ID for a bad id", async () => {
      for (const path of [...routes(randomUUID()), ...routes(runId)]) {
        const key = path.includes(runId) ? globexKey : acmeKey;
        const answer = await get(path, key);
        expect([path, answer.status, answer.error?.code]).toEqual([path, 404, 'RUN_NOT_FOUND']);
      }
      for (const path of routes('not-a-uuid')) {
        const answer = await get(path);
        expect([path, answer.status, answer.error?.code]).toEqual([path, 400, 'INVALID_ID']);
      }
    });

    it("let the admin key read any tenant's run", async () => {
      const list = await get<CheckpointView[]>(`/runs/${runId}/checkpoints`, ADMIN_KEY);
      expect([list.status, list.data.length]).toEqual([200, 6]);
      const state = await get<CheckpointStateView>(`/runs/${runId}/checkpoints/6`, ADMIN_KEY);
      expect([state.status, state.data.total_cost_usd]).toEqual([200, 0.66]);
    });

    it('refuse a request without a key', async () => {
      const response = await fetch(`${gw.url}/runs/${runId}/checkpoints`);
      expect(response.status).toBe(401);
    });
  });
});
