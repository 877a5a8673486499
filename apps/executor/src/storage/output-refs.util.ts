import { outputRefOf } from '@sandcastle/contracts';
import { belongsToTenant, type StorageBackend } from '@sandcastle/storage';

/**
 * A value with offloaded outputs in it (a fan-out list whose items were offloaded) with each
 * reference replaced by the stored JSON. Lists and mappings are walked; a reference is only
 * followed into the run's own tenant.
 */
export async function expandOutputRefs(
  value: unknown,
  tenantId: string,
  storage: StorageBackend,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const ref = outputRefOf(value);
  if (ref) {
    if (!belongsToTenant(ref.key, tenantId))
      return { ok: false, error: `refused to read '${ref.name}': not in this tenant's storage` };
    const body = await storage.get(ref.key);
    if (body === null)
      return { ok: false, error: `the offloaded output '${ref.name}' is no longer in storage` };
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const expanded = await expandOutputRefs(item, tenantId, storage);
      if (!expanded.ok) return expanded;
      out.push(expanded.value);
    }
    return { ok: true, value: out };
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const expanded = await expandOutputRefs(v, tenantId, storage);
      if (!expanded.ok) return expanded;
      out[k] = expanded.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}
