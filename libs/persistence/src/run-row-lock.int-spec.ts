import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { RunEntity } from './entities';
import { createTestDatabase, type TestDatabase } from './testing';

const LOCK_NOT_AVAILABLE = '55P03';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = db.dataSource;
});

afterAll(async () => {
  await db.drop();
});

async function insertRun(): Promise<string> {
  const id = randomUUID();
  await ds.getRepository(RunEntity).insert({ id, tenantId: 'tenant-a', workflowName: 'wf', definition: {} });
  return id;
}

/** A transaction on its own connection that has locked the run row, as the orchestrator does. */
async function lockInTransaction(runId: string): Promise<QueryRunner> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  const run = await runner.manager.findOne(RunEntity, {
    where: { id: runId, tenantId: 'tenant-a' },
    lock: { mode: 'pessimistic_write' },
  });
  expect(run?.id).toBe(runId);
  return runner;
}

async function finish(runner: QueryRunner, outcome: 'commit' | 'rollback'): Promise<void> {
  if (outcome === 'commit') await runner.commitTransaction();
  else await runner.rollbackTransaction();
  await runner.release();
}

describe('SELECT … FOR UPDATE on runs through the entity manager', () => {
  it('keeps other transactions off the locked row, and only that row', async () => {
    const runId = await insertRun();
    const otherRunId = await insertRun();
    const holder = await lockInTransaction(runId);
    try {
      await expect(
        ds.transaction((manager) =>
          manager.findOne(RunEntity, {
            where: { id: runId },
            lock: { mode: 'pessimistic_write', onLocked: 'nowait' },
          }),
        ),
      ).rejects.toMatchObject({ code: LOCK_NOT_AVAILABLE });

      const skipped = await ds.transaction((manager) =>
        manager.find(RunEntity, {
          where: [{ id: runId }, { id: otherRunId }],
          lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
        }),
      );
      expect(skipped.map((r) => r.id)).toEqual([otherRunId]);
    } finally {
      await finish(holder, 'rollback');
    }
  });

  it('makes a second locker wait, then see what the first committed', async () => {
    const runId = await insertRun();
    const first = await lockInTransaction(runId);

    const second = ds.transaction(async (manager) => {
      const run = await manager.findOneOrFail(RunEntity, {
        where: { id: runId },
        lock: { mode: 'pessimistic_write' },
      });
      run.status = run.status === 'running' ? 'completed' : 'failed';
      await manager.save(run);
      return run.status;
    });

    try {
      // Wait until the second transaction is blocked on the row lock held by the first.
      await waitFor(async () => {
        const rows: unknown[] = await first.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        return rows.length === 1;
      });
      await first.manager.update(RunEntity, { id: runId }, { status: 'running', startedAt: new Date() });
    } finally {
      await finish(first, 'commit');
    }

    // The second transaction read the row only after the first committed "running".
    expect(await second).toBe('completed');
    const run = await ds.getRepository(RunEntity).findOneByOrFail({ id: runId });
    expect(run.status).toBe('completed');
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
