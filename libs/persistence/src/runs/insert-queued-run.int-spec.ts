import { randomUUID } from 'node:crypto';
import { RunEntity } from '../entities/run.entity';
import { WorkflowEntity } from '../entities/workflow.entity';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  findLatestWorkflow,
  insertQueuedRun,
  insertQueuedRunOfLatest,
  SHARED_WORKFLOWS_TENANT,
} from './insert-queued-run';

/** The plain-SQL run insert and workflow lookup answer exactly what the stored rows hold. */
describe('insertQueuedRun and findLatestWorkflow (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /** Saves a workflow version (a row as the gateway's save writes it). */
  const save = (tenantId: string, name: string, version: number) => {
    const repo = db.dataSource.getRepository(WorkflowEntity);
    return repo.save(
      repo.create({
        tenantId,
        name,
        version,
        title: `${name} v${version}`,
        description: '',
        content: `name: ${name}`,
        contentHash: `${tenantId}${name}${version}`.padEnd(64, '0'),
        definition: { name, version, steps: [{ id: 's' }] },
        source: 'api',
      }),
    );
  };

  it('returns the run as stored, every column included (defaults too)', async () => {
    const id = randomUUID();
    const returned = await insertQueuedRun(db.dataSource.manager, {
      id,
      tenantId: 'acme',
      workflowName: 'wf',
      workflowVersion: 3,
      definition: { name: 'wf', steps: [{ id: 'a' }] },
      inputData: { lead: 'x', nested: { n: 1 } },
      maxCostUsd: 2.5,
      callbackUrl: 'https://example.com/hook',
      idempotencyKey: 'key-1',
      requestHash: 'h'.repeat(64),
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      schedule: {
        scheduleId: randomUUID(),
        scheduledFor: new Date('2026-01-01T00:00:00Z'),
        catchUp: true,
        missedFires: 2,
      },
    });
    const stored = await db.dataSource.getRepository(RunEntity).findOneByOrFail({ id });
    expect(returned).toBeInstanceOf(RunEntity);
    expect(returned).toEqual(stored);
  });

  it('stores an unscheduled run with its defaults', async () => {
    const id = randomUUID();
    const returned = await insertQueuedRun(db.dataSource.manager, {
      id,
      tenantId: 'acme',
      workflowName: 'inline',
      workflowVersion: null,
      definition: {},
      inputData: {},
      maxCostUsd: null,
      callbackUrl: null,
      idempotencyKey: null,
      requestHash: null,
    });
    expect(returned).toEqual(await db.dataSource.getRepository(RunEntity).findOneByOrFail({ id }));
    expect(returned).toMatchObject({ status: 'queued', kind: 'original', rootRunId: id, catchUp: false });
  });

  it("finds the tenant's own latest version first, else the shared one", async () => {
    const repo = db.dataSource.getRepository(WorkflowEntity);
    await save(SHARED_WORKFLOWS_TENANT, 'common', 1);
    await save(SHARED_WORKFLOWS_TENANT, 'mine', 5);
    await save('acme', 'mine', 1);
    await save('acme', 'mine', 2);
    const own = await findLatestWorkflow(db.dataSource.manager, 'acme', 'mine');
    expect(own).toBeInstanceOf(WorkflowEntity);
    expect(own).toEqual(await repo.findOneByOrFail({ tenantId: 'acme', name: 'mine', version: 2 }));
    const shared = await findLatestWorkflow(db.dataSource.manager, 'acme', 'common');
    expect(shared).toMatchObject({ tenantId: SHARED_WORKFLOWS_TENANT, version: 1 });
    expect(await findLatestWorkflow(db.dataSource.manager, 'other', 'mine')).toMatchObject({ version: 5 });
    expect(await findLatestWorkflow(db.dataSource.manager, 'acme', 'missing')).toBeNull();
  });

  describe('insertQueuedRunOfLatest: one round trip, only while the version is still the latest', () => {
    const newRun = (tenantId: string) => ({
      id: randomUUID(),
      tenantId,
      inputData: { n: 1 },
      maxCostUsd: 1,
      callbackUrl: null,
      idempotencyKey: null,
      requestHash: null,
    });

    it("stores the run with the version's definition, copied by the database, and returns it as stored", async () => {
      const v1 = await save('beta', 'flow', 1);
      const run = newRun('beta');
      // The definition the caller holds is only for the returned entity: the row gets the stored one.
      const returned = await insertQueuedRunOfLatest(db.dataSource.manager, run, v1);
      const stored = await db.dataSource.getRepository(RunEntity).findOneByOrFail({ id: run.id });
      expect(returned).toEqual(stored);
      expect(stored).toMatchObject({ workflowName: 'flow', workflowVersion: 1, definition: v1.definition });
    });

    it('stores nothing once a newer version exists, or once the tenant shadows a shared one', async () => {
      const v1 = await save('beta', 'moving', 1);
      await save('beta', 'moving', 2);
      const stale = newRun('beta');
      expect(await insertQueuedRunOfLatest(db.dataSource.manager, stale, v1)).toBeNull();

      const shared = await save(SHARED_WORKFLOWS_TENANT, 'common-flow', 1);
      expect(await insertQueuedRunOfLatest(db.dataSource.manager, newRun('gamma'), shared)).not.toBeNull();
      await save('gamma', 'common-flow', 1);
      const shadowed = newRun('gamma');
      expect(await insertQueuedRunOfLatest(db.dataSource.manager, shadowed, shared)).toBeNull();

      const none = await db.dataSource.getRepository(RunEntity).findBy({ id: stale.id });
      expect(none).toEqual([]);
      expect(await db.dataSource.getRepository(RunEntity).findBy({ id: shadowed.id })).toEqual([]);
    });
  });
});
