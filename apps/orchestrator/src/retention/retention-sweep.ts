import type { DataSource } from 'typeorm';
import type { StorageBackend } from '@sandcastle/storage';

/** Session advisory lock key of the sweep: one replica sweeps at a time, the others skip the round. */
export const RETENTION_LOCK_KEY = 0x5c_57_0e_a6;

export interface RetentionPolicy {
  /** STORAGE_RETENTION_DAYS; 0 = keep forever. */
  defaultDays: number;
  /** STORAGE_RETENTION_DAYS_BY_TENANT; a tenant's 0 keeps its artifacts forever. */
  byTenant: Record<string, number>;
}

export interface SweepOutcome {
  /** False when another replica held the lock (nothing was done). */
  swept: boolean;
  deleted: number;
  failed: number;
}

interface Expired {
  run_id: string;
  name: string;
  object_key: string;
}

/**
 * Deletes run-owned artifacts (offloaded outputs and runtime files: `runs/<run_id>/…` objects)
 * older than their tenant's retention, object first, then its row; an object that cannot be
 * deleted keeps its row and is tried again next round. Objects at paths a workflow named
 * (`storage_write`, `on_complete.storage_path`) are the tenant's data and are never swept
 * (docs/storage.md). One round handles at most `batch` artifacts, oldest first.
 *
 * Replicas: the sweep holds a session advisory lock on its own pooled connection (not a
 * transaction: deleting objects may take a while and must not hold a transaction open), so
 * several orchestrators never delete the same objects at once.
 */
export async function sweepExpiredArtifacts(
  db: DataSource,
  storage: StorageBackend,
  policy: RetentionPolicy,
  batch = 500,
): Promise<SweepOutcome> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [lock] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [
      RETENTION_LOCK_KEY,
    ])) as {
      locked: boolean;
    }[];
    if (!lock?.locked) return { swept: false, deleted: 0, failed: 0 };
    try {
      const expired = (await runner.query(
        `SELECT a.run_id, a.name, a.object_key
           FROM run_artifacts a
           LEFT JOIN jsonb_each_text($1::jsonb) AS t(tenant, days) ON t.tenant = a.tenant_id
          WHERE a.kind IN ('output', 'file')
            AND COALESCE(t.days::int, $2::int) > 0
            AND a.created_at < now() - make_interval(days => COALESCE(t.days::int, $2::int))
          ORDER BY a.created_at
          LIMIT $3`,
        [JSON.stringify(policy.byTenant), policy.defaultDays, batch],
      )) as Expired[];
      const gone: Expired[] = [];
      let failed = 0;
      for (const row of expired) {
        try {
          await storage.delete(row.object_key);
          gone.push(row);
        } catch {
          failed++;
        }
      }
      if (gone.length > 0) {
        await runner.query(
          `DELETE FROM run_artifacts a USING jsonb_to_recordset($1::jsonb) AS x(run_id uuid, name varchar)
            WHERE a.run_id = x.run_id AND a.name = x.name`,
          [JSON.stringify(gone.map((g) => ({ run_id: g.run_id, name: g.name })))],
        );
      }
      return { swept: true, deleted: gone.length, failed };
    } finally {
      await runner.query(`SELECT pg_advisory_unlock($1)`, [RETENTION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** True when no tenant can have an expiring artifact: the sweep need not run at all. */
export function keepsEverything(policy: RetentionPolicy): boolean {
  return policy.defaultDays === 0 && Object.values(policy.byTenant).every((d) => d === 0);
}
