import { randomUUID } from 'node:crypto';
import { RUN_KINDS, RUN_STATUSES, STEP_STATUSES } from '@sandcastle/contracts';
import type { DataSource, QueryDeepPartialEntity } from 'typeorm';
import { OutboxEntity, RunEntity, RunStepEntity, StepAttemptEntity, WorkflowEntity } from './entities';
import { isPgUniqueViolation } from './pg-errors.util';
import { createTestDatabase, type TestDatabase } from './testing';

const CHECK_VIOLATION = '23514';
const FOREIGN_KEY_VIOLATION = '23503';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = db.dataSource;
});

afterAll(async () => {
  await db.drop();
});

async function insertRun(fields: QueryDeepPartialEntity<RunEntity> = {}): Promise<string> {
  const id = randomUUID();
  await ds.getRepository(RunEntity).insert({
    tenantId: 'tenant-a',
    workflowName: 'summarise',
    definition: { name: 'summarise', steps: [] },
    ...fields,
    id,
  });
  return id;
}

function workflow(
  fields: QueryDeepPartialEntity<WorkflowEntity> = {},
): QueryDeepPartialEntity<WorkflowEntity> {
  return {
    tenantId: 'tenant-a',
    name: `wf-${randomUUID()}`,
    version: 1,
    title: 'A workflow',
    content: 'name: wf',
    contentHash: 'a'.repeat(64),
    definition: { name: 'wf' },
    source: 'api',
    ...fields,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the statement to be refused');
}

describe('workflows', () => {
  it('fills id, description and created_at, and refuses an unknown source', async () => {
    const repo = ds.getRepository(WorkflowEntity);
    const inserted = await repo.insert(workflow());
    const id = String(inserted.identifiers[0]?.['id']);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const row = await repo.findOneByOrFail({ id });
    expect(row.description).toBe('');
    expect(row.createdAt).toBeInstanceOf(Date);

    await expect(repo.insert(workflow({ source: 'git' as never }))).rejects.toMatchObject({
      code: CHECK_VIOLATION,
      constraint: 'ck_workflows_source',
    });
  });

  it('allows one row per tenant, name and version', async () => {
    const repo = ds.getRepository(WorkflowEntity);
    await repo.insert(workflow({ name: 'daily-report', version: 1 }));
    await repo.insert(workflow({ name: 'daily-report', version: 2 }));
    await repo.insert(workflow({ name: 'daily-report', version: 1, tenantId: 'tenant-b' }));

    const err = await rejection(repo.insert(workflow({ name: 'daily-report', version: 2 })));
    expect(isPgUniqueViolation(err, 'uq_workflows_tenant_name_version')).toBe(true);
  });
});

describe('runs', () => {
  it('starts queued and original with empty input and outputs and zero totals', async () => {
    const id = await insertRun();
    const run = await ds.getRepository(RunEntity).findOneByOrFail({ id });
    expect(run).toMatchObject({
      status: 'queued',
      kind: 'original',
      inputData: {},
      outputs: {},
      totalCostUsd: 0,
      totalInputTokens: 0,
      budgetWarned: false,
      parentRunId: null,
    });
    expect(run.updatedAt).toBeInstanceOf(Date);
  });

  it('refuses an unknown status or kind', async () => {
    await expect(insertRun({ status: 'paused' as never })).rejects.toMatchObject({
      code: CHECK_VIOLATION,
      constraint: 'ck_runs_status',
    });
    await expect(insertRun({ kind: 'clone' as never })).rejects.toMatchObject({
      code: CHECK_VIOLATION,
      constraint: 'ck_runs_kind',
    });
  });

  it('accepts every run status and kind that @sandcastle/contracts defines', async () => {
    for (const status of RUN_STATUSES) await insertRun({ status });
    for (const kind of RUN_KINDS) await insertRun({ kind });
  });

  it('reads costs back as numbers and JSON back as values', async () => {
    const id = await insertRun({
      totalCostUsd: 0.0123,
      maxCostUsd: 2.5,
      inputData: { topic: 'tides', n: 3 },
      forkChanges: { prompt: 'shorter' },
    });
    const run = await ds.getRepository(RunEntity).findOneByOrFail({ id });
    expect(run.totalCostUsd).toBe(0.0123);
    expect(run.maxCostUsd).toBe(2.5);
    expect(run.inputData).toEqual({ topic: 'tides', n: 3 });
    expect(run.forkChanges).toEqual({ prompt: 'shorter' });
  });

  it('allows one run per tenant and idempotency key, and any number without a key', async () => {
    await insertRun({ idempotencyKey: 'order-42' });
    await insertRun({ idempotencyKey: 'order-42', tenantId: 'tenant-b' });
    await insertRun({ idempotencyKey: null });
    await insertRun({ idempotencyKey: null });

    const err = await rejection(insertRun({ idempotencyKey: 'order-42' }));
    expect(isPgUniqueViolation(err, 'uq_runs_tenant_idempotency')).toBe(true);
  });

  it('refuses a parent that does not exist and forgets a parent that is deleted', async () => {
    await expect(insertRun({ parentRunId: randomUUID() })).rejects.toMatchObject({
      code: FOREIGN_KEY_VIOLATION,
      constraint: 'fk_runs_parent_run',
    });

    const parent = await insertRun();
    const child = await insertRun({ kind: 'replay', parentRunId: parent, rootRunId: parent });
    await ds.query('DELETE FROM runs WHERE id = $1', [parent]);
    const orphan = await ds.getRepository(RunEntity).findOneByOrFail({ id: child });
    expect(orphan.parentRunId).toBeNull();
    expect(orphan.rootRunId).toBe(parent);
  });
});

describe('run_steps', () => {
  it('starts pending at attempt 0 as the step row, and refuses an unknown status', async () => {
    const runId = await insertRun();
    const repo = ds.getRepository(RunStepEntity);
    const saved = await repo.save(repo.create({ runId, tenantId: 'tenant-a', stepId: 'fetch' }));
    expect(await repo.findOneByOrFail({ id: saved.id })).toMatchObject({
      status: 'pending',
      attempt: 0,
      itemIndex: null,
      itemCount: null,
      isFallback: false,
    });
    // The step's own row: item index null in TypeScript, stored as -1 (the column is NOT NULL).
    expect(await ds.query(`SELECT item_index FROM run_steps WHERE id = $1`, [saved.id])).toEqual([
      { item_index: -1 },
    ]);

    await expect(
      repo.insert({ runId, tenantId: 'tenant-a', stepId: 'other', status: 'paused' as never }),
    ).rejects.toMatchObject({ code: CHECK_VIOLATION, constraint: 'ck_run_steps_status' });
  });

  it('accepts every step status that @sandcastle/contracts defines', async () => {
    const runId = await insertRun();
    for (const status of STEP_STATUSES) {
      await ds.getRepository(RunStepEntity).insert({ runId, tenantId: 'tenant-a', stepId: status, status });
    }
  });

  it('holds one row per run, step and item', async () => {
    const runId = await insertRun();
    const otherRun = await insertRun();
    const repo = ds.getRepository(RunStepEntity);
    await repo.insert({ runId, tenantId: 'tenant-a', stepId: 'fan', itemIndex: null, itemCount: 2 });
    await repo.insert({ runId, tenantId: 'tenant-a', stepId: 'fan', itemIndex: 0 });
    await repo.insert({ runId, tenantId: 'tenant-a', stepId: 'fan', itemIndex: 1 });
    await repo.insert({ runId: otherRun, tenantId: 'tenant-a', stepId: 'fan', itemIndex: 0 });

    const err = await rejection(repo.insert({ runId, tenantId: 'tenant-a', stepId: 'fan', itemIndex: 1 }));
    expect(isPgUniqueViolation(err, 'uq_run_steps_run_step_item')).toBe(true);
  });

  it('refuses a step of a run that does not exist', async () => {
    await expect(
      ds.getRepository(RunStepEntity).insert({ runId: randomUUID(), tenantId: 'tenant-a', stepId: 'x' }),
    ).rejects.toMatchObject({ code: FOREIGN_KEY_VIOLATION, constraint: 'fk_run_steps_run' });
  });
});

describe('step_attempts', () => {
  function attempt(
    runId: string,
    fields: QueryDeepPartialEntity<StepAttemptEntity> = {},
  ): QueryDeepPartialEntity<StepAttemptEntity> {
    return {
      runId,
      stepId: 'fetch',
      itemIndex: null,
      attempt: 1,
      tenantId: 'tenant-a',
      outcome: 'completed',
      output: { text: 'done' },
      ...fields,
    };
  }

  it('applies an attempt once: the same (run, step, item, attempt) is refused', async () => {
    const runId = await insertRun();
    const repo = ds.getRepository(StepAttemptEntity);
    await repo.insert(attempt(runId));
    await repo.insert(attempt(runId, { attempt: 2, outcome: 'failed', errorKind: 'timeout' }));
    await repo.insert(attempt(runId, { itemIndex: 0 }));

    const err = await rejection(repo.insert(attempt(runId, { output: { text: 'redelivered' } })));
    expect(isPgUniqueViolation(err, 'pk_step_attempts')).toBe(true);

    // The way the orchestrator applies a result: a duplicate inserts nothing and says so.
    const inserted: unknown[] = await ds.query(
      `INSERT INTO step_attempts (run_id, step_id, item_index, attempt, tenant_id, outcome)
       VALUES ($1, 'fetch', -1, 1, 'tenant-a', 'completed')
       ON CONFLICT ON CONSTRAINT pk_step_attempts DO NOTHING RETURNING attempt`,
      [runId],
    );
    expect(inserted).toEqual([]);
    const attemptsOne = await repo.findBy({ runId, stepId: 'fetch', attempt: 1 });
    expect(attemptsOne.map((a) => a.itemIndex).sort()).toEqual([0, null]);
    const kept = attemptsOne.find((a) => a.itemIndex === null)!;
    expect(kept.output).toEqual({ text: 'done' });
    expect(kept.appliedAt).toBeInstanceOf(Date);
  });

  it('refuses an outcome other than completed or failed', async () => {
    const runId = await insertRun();
    await expect(
      ds.getRepository(StepAttemptEntity).insert(attempt(runId, { outcome: 'running' as never })),
    ).rejects.toMatchObject({ code: CHECK_VIOLATION, constraint: 'ck_step_attempts_outcome' });
  });

  it('goes, with the run_steps, when their run is deleted', async () => {
    const runId = await insertRun();
    const keptRun = await insertRun();
    await ds.getRepository(RunStepEntity).insert([
      { runId, tenantId: 'tenant-a', stepId: 'fetch' },
      { runId: keptRun, tenantId: 'tenant-a', stepId: 'fetch' },
    ]);
    await ds.getRepository(StepAttemptEntity).insert([attempt(runId), attempt(keptRun)]);

    await ds.query('DELETE FROM runs WHERE id = $1', [runId]);

    expect(await ds.getRepository(RunStepEntity).countBy({ runId })).toBe(0);
    expect(await ds.getRepository(StepAttemptEntity).countBy({ runId })).toBe(0);
    expect(await ds.getRepository(RunStepEntity).countBy({ runId: keptRun })).toBe(1);
    expect(await ds.getRepository(StepAttemptEntity).countBy({ runId: keptRun })).toBe(1);
  });
});

describe('outbox', () => {
  it('numbers messages in insertion order and keeps the payload verbatim', async () => {
    const repo = ds.getRepository(OutboxEntity);
    const payload = JSON.stringify({ runId: 'r1', type: 'run.started', note: 'ünïcode' });
    const first = await repo.save(repo.create({ subject: 'sc.evt.run.r1', msgId: 'evt:r1:1', payload }));
    const second = await repo.save(
      repo.create({ subject: 'sc.evt.run.r1', msgId: 'evt:r1:2', payload: '{}' }),
    );
    expect(BigInt(second.id)).toBeGreaterThan(BigInt(first.id));

    const stored = await repo.findOneByOrFail({ id: first.id });
    expect(stored.payload).toBe(payload);
    expect(stored.createdAt).toBeInstanceOf(Date);
  });
});
