import { normaliseStoragePath } from '@sandcastle/contracts';

/**
 * Where objects live in the bucket (or the local directory). Everything a tenant's runs store
 * is under `tenants/<tenant>/`, in two places that cannot reach each other:
 *
 *   tenants/<tenant>/data/<path>            paths the workflow names: on_complete.storage_path,
 *                                            storage_write, {storage.PATH} (the tenant's "memory")
 *   tenants/<tenant>/runs/<run_id>/<name>   what a run produced on its own: offloaded outputs,
 *                                            Sandstorm `file` events (swept by retention)
 *
 * A tenant path is normalised first (no `..`, not absolute, no backslash, NUL or encoded
 * separator), so `data/<path>` stays below `data/`. A tenant id made of `[A-Za-z0-9_-]` is used
 * as it is; any other is written `~<base64url>` (injective, and a plain id never starts with `~`).
 */
export const TENANTS_ROOT = 'tenants';

export function tenantSegment(tenantId: string): string {
  if (/^[A-Za-z0-9_-]{1,100}$/.test(tenantId)) return tenantId;
  return `~${Buffer.from(tenantId, 'utf8').toString('base64url')}`;
}

export function tenantPrefix(tenantId: string): string {
  return `${TENANTS_ROOT}/${tenantSegment(tenantId)}/`;
}

/** The key of a path the workflow names. Throws InvalidStoragePathError for a path that could escape. */
export function dataKey(tenantId: string, path: string): string {
  return `${tenantPrefix(tenantId)}data/${normaliseStoragePath(path)}`;
}

export function runPrefix(tenantId: string, runId: string): string {
  return `${tenantPrefix(tenantId)}runs/${runId}/`;
}

/** The key of an object a run produced (`name` is an artifact name: `[A-Za-z0-9._-]`). */
export function runObjectKey(tenantId: string, runId: string, name: string): string {
  return `${runPrefix(tenantId, runId)}${normaliseStoragePath(name)}`;
}

/** True when `key` is one of this tenant's objects: the executor checks every key it is asked to read. */
export function belongsToTenant(key: string, tenantId: string): boolean {
  const prefix = tenantPrefix(tenantId);
  if (!key.startsWith(prefix)) return false;
  try {
    return normaliseStoragePath(key) === key;
  } catch {
    return false;
  }
}

/** The path a tenant sees for one of its keys (`data/…` → the path it named; `runs/…` as is). */
export function tenantVisiblePath(key: string, tenantId: string): string {
  const rest = key.startsWith(tenantPrefix(tenantId)) ? key.slice(tenantPrefix(tenantId).length) : key;
  return rest.startsWith('data/') ? rest.slice('data/'.length) : rest;
}
