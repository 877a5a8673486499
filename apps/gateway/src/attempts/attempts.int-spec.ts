import { randomBytes, randomUUID } from 'node:crypto';
import { RunEntity, StepAttemptEntity } from '@sandcastle/persistence';
import type { QueryDeepPartialEntity } from 'typeorm';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import type { AttemptView } from './attempt.view';

const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`;

describe('GET /runs/{id}/attempts (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;
  let acme: string;
  let globex: string;
  let runId: string;
  const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 9, 0, second));
  const get = <T>(path: string, key = acme) => gw.api<T>('GET', path, undefined, { 'x-api-key': key });

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'gwatt',
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
          { tenant_id: tenant, name: tenant },
          { 'x-api-key': ADMIN_KEY },
        )
      ).data.key;
    acme = await key('acme');
    globex = await key('globex');
    runId = randomUUID();
    await gw.db.dataSource.getRepository(RunEntity).insert({
      id: runId,
      tenantId: 'acme',
      workflowName: 'attempted',
      definition: {
        name: 'Attempted',
        steps: [
          { id: 'fetch', prompt: 'x' },
          { id: 'each', prompt: 'y' },
        ],
      } as QueryDeepPartialEntity<Record<string, unknown>>,
      status: 'running',
      rootRunId: runId,
    });
    const attempt = (
      stepId: string,
      itemIndex: number | null,
      attempt: number,
      second: number,
      failed: boolean,
    ): QueryDeepPartialEntity<StepAttemptEntity> => ({
      runId,
      stepId,
      itemIndex,
      attempt,
      tenantId: 'acme',
      outcome: failed ? 'failed' : 'completed',
      ...(failed ? {} : { output: { n: second } }),
      error: failed ? 'timed out' : null,
      errorKind: failed ? 'timeout' : null,
      costUsd: 0.01,
      model: 'sonnet',
      runtime: 'simulated',
      startedAt: at(second),
      finishedAt: at(second + 1),
    });
    await gw.db.dataSource
      .getRepository(StepAttemptEntity)
      .insert([
        attempt('fetch', null, 1, 0, true),
        attempt('fetch', null, 2, 2, false),
        attempt('each', 0, 1, 4, false),
        attempt('each', 1, 1, 4, true),
        attempt('each', 1, 2, 6, false),
      ]);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it("lists every attempt oldest first, with each one's outcome, output and error", async () => {
    const all = await get<AttemptView[]>(`/runs/${runId}/attempts`);
    expect(all.status).toBe(200);
    expect(all.meta).toEqual({ total: 5, limit: 50, offset: 0 });
    expect(
      all.data.map((a) => `${a.step_id}[${String(a.parallel_index)}]#${a.attempt}:${a.outcome}`),
    ).toEqual([
      'fetch[null]#1:failed',
      'fetch[null]#2:completed',
      'each[0]#1:completed',
      'each[1]#1:failed',
      'each[1]#2:completed',
    ]);
    expect(all.data[0]).toMatchObject({
      error: 'timed out',
      error_kind: 'timeout',
      output: null,
      started_at: at(0).toISOString(),
    });
    expect(all.data[1]).toMatchObject({
      output: { n: 2 },
      error: null,
      model: 'sonnet',
      runtime: 'simulated',
    });
  });

  it('filters by step and pages', async () => {
    const page = await get<AttemptView[]>(`/runs/${runId}/attempts?step_id=each&limit=2&offset=1`);
    expect(page.meta).toEqual({ total: 3, limit: 2, offset: 1 });
    expect(page.data.map((a) => [a.parallel_index, a.attempt])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    for (const bad of ['step_id=a.b', 'limit=0', 'limit=201']) {
      const refused = await get(`/runs/${runId}/attempts?${bad}`);
      expect({ bad, status: refused.status, code: refused.error?.code }).toEqual({
        bad,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
    }
  });

  it("is the run owner's (and the admin's) only", async () => {
    const other = await get(`/runs/${runId}/attempts`, globex);
    expect(other.status).toBe(404);
    expect(other.error?.code).toBe('RUN_NOT_FOUND');
    expect((await get<AttemptView[]>(`/runs/${runId}/attempts`, ADMIN_KEY)).data).toHaveLength(5);
    expect((await get(`/runs/not-a-uuid/attempts`)).error?.code).toBe('INVALID_ID');
  });
});
