import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertQueuedRun } from '@sandcastle/persistence';
import { createTestDatabase, type TestDatabase } from '@sandcastle/persistence/testing';
import { dataKey, LocalStorage, runObjectKey } from '@sandcastle/storage';
import { recordArtifacts, type ArtifactRow } from '../engine/artifact-store';
import { RETENTION_LOCK_KEY, sweepExpiredArtifacts } from './retention-sweep';

/** The retention sweep against the real PostgreSQL and a local storage directory. */
let db: TestDatabase;
let dir: string;
let storage: LocalStorage;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sc-retention-'));
  storage = new LocalStorage(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runOf(tenantId: string): Promise<string> {
  const id = randomUUID();
  await insertQueuedRun(db.dataSource.manager, {
    id,
    tenantId,
    workflowName: 'w',
    workflowVersion: null,
    definition: {},
    inputData: {},
    maxCostUsd: null,
    callbackUrl: null,
    idempotencyKey: null,
    requestHash: null,
  });
  return id;
}

/** An artifact stored and recorded `ageDays` ago. */
async function artifact(
  tenantId: string,
  runId: string,
  name: string,
  kind: ArtifactRow['kind'],
  ageDays: number,
) {
  const key = kind === 'write' ? dataKey(tenantId, `memory/${name}`) : runObjectKey(tenantId, runId, name);
  await storage.put(key, name);
  await recordArtifacts(db.dataSource.manager, [
    {
      runId,
      tenantId,
      name,
      kind,
      key,
      size: name.length,
      contentType: 'text/plain',
      stepId: 'a',
      itemIndex: null,
    },
  ]);
  await db.dataSource.query(
    `UPDATE run_artifacts SET created_at = now() - make_interval(days => $3) WHERE run_id = $1 AND name = $2`,
    [runId, name, ageDays],
  );
  return key;
}

const names = async () =>
  (await db.dataSource.query<{ name: string }[]>(`SELECT name FROM run_artifacts ORDER BY name`)).map(
    (r) => r.name,
  );

describe('retention sweep', () => {
  beforeEach(async () => {
    await db.dataSource.query(`DELETE FROM run_artifacts`);
  });

  it("deletes run-owned artifacts past their tenant's retention, keeps named data and younger ones", async () => {
    const runA = await runOf('acme');
    const runB = await runOf('bigco');
    const oldOutput = await artifact('acme', runA, 'output.a.a1.json', 'output', 10);
    const oldFile = await artifact('acme', runA, 'file.a.a1.x', 'file', 10);
    const young = await artifact('acme', runA, 'output.b.a1.json', 'output', 1);
    const memory = await artifact('acme', runA, 'write.a', 'write', 100);
    const bigcoOld = await artifact('bigco', runB, 'output.a.a1.json', 'output', 10);

    const outcome = await sweepExpiredArtifacts(db.dataSource, storage, {
      defaultDays: 7,
      byTenant: { bigco: 30 },
    });
    expect(outcome).toEqual({ swept: true, deleted: 2, failed: 0 });
    expect(await storage.exists(oldOutput)).toBe(false);
    expect(await storage.exists(oldFile)).toBe(false);
    expect(await storage.exists(young)).toBe(true);
    expect(await storage.exists(memory)).toBe(true);
    expect(await storage.exists(bigcoOld)).toBe(true);
    expect(await names()).toEqual(['output.a.a1.json', 'output.b.a1.json', 'write.a']);
  });

  it('keeps everything with retention 0, per tenant too', async () => {
    const run = await runOf('keeper');
    const key = await artifact('keeper', run, 'output.a.a1.json', 'output', 1000);
    expect(
      await sweepExpiredArtifacts(db.dataSource, storage, { defaultDays: 1, byTenant: { keeper: 0 } }),
    ).toEqual({
      swept: true,
      deleted: 0,
      failed: 0,
    });
    expect(await storage.exists(key)).toBe(true);
  });

  it('lets one replica sweep at a time: another holding the lock makes this round a no-op', async () => {
    const run = await runOf('acme');
    const key = await artifact('acme', run, 'output.a.a1.json', 'output', 10);
    const other = db.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock($1)`, [RETENTION_LOCK_KEY]);
      expect(await sweepExpiredArtifacts(db.dataSource, storage, { defaultDays: 1, byTenant: {} })).toEqual({
        swept: false,
        deleted: 0,
        failed: 0,
      });
      expect(await storage.exists(key)).toBe(true);
      await other.query(`SELECT pg_advisory_unlock($1)`, [RETENTION_LOCK_KEY]);
    } finally {
      await other.release();
    }
    expect(
      (await sweepExpiredArtifacts(db.dataSource, storage, { defaultDays: 1, byTenant: {} })).deleted,
    ).toBe(1);
  });
});
