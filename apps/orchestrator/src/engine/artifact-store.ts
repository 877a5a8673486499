import type { EntityManager } from 'typeorm';
import type { ArtifactRecord } from '@sandcastle/contracts';

type Q = Pick<EntityManager, 'query'>;

export interface ArtifactRow extends ArtifactRecord {
  runId: string;
  tenantId: string;
}

/**
 * Records what runs wrote to storage (`run_artifacts`, one row per run and name). Idempotent:
 * a redelivered result or a repeated completion rewrites the same row (the object was rewritten
 * with the same content under the same key).
 */
export async function recordArtifacts(q: Q, rows: readonly ArtifactRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO run_artifacts (run_id, tenant_id, name, kind, object_key, size_bytes, content_type, step_id, item_index)
     SELECT x.run_id, x.tenant_id, x.name, x.kind, x.object_key, x.size_bytes, x.content_type, x.step_id, x.item_index
       FROM jsonb_to_recordset($1::jsonb) AS x(run_id uuid, tenant_id varchar, name varchar, kind varchar,
            object_key text, size_bytes bigint, content_type varchar, step_id varchar, item_index int)
     ON CONFLICT (run_id, name) DO UPDATE SET object_key = EXCLUDED.object_key, size_bytes = EXCLUDED.size_bytes,
            content_type = EXCLUDED.content_type, created_at = now()`,
    [
      JSON.stringify(
        rows.map((r) => ({
          run_id: r.runId,
          tenant_id: r.tenantId,
          name: r.name,
          kind: r.kind,
          object_key: r.key,
          size_bytes: r.size,
          content_type: r.contentType.slice(0, 200),
          step_id: r.stepId,
          item_index: r.itemIndex,
        })),
      ),
    ],
  );
}

/** Where on_complete stored the run's outputs (`runs.storage_path`), written with the completion. */
export async function recordStoragePath(q: Q, runId: string, path: string): Promise<void> {
  await q.query(`UPDATE runs SET storage_path = $2 WHERE id = $1`, [runId, path]);
}
