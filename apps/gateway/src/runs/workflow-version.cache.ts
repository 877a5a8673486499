import type { LatestWorkflowRef } from '@sandcastle/persistence';

/** At most this many versions are kept… */
const MAX_ENTRIES = 1000;
/** …holding at most this much YAML in all (a parsed definition is a few times its YAML). */
const MAX_TOTAL_YAML_BYTES = 8 * 1024 * 1024;

interface Entry {
  workflow: LatestWorkflowRef;
  yamlBytes: number;
}

/**
 * The saved workflow version each (tenant, name) last resolved to on this gateway. A saved
 * version never changes, so an entry is never wrong, only perhaps no longer the latest: the run
 * insert checks that in the same statement (insertQueuedRunOfLatest) and the caller forgets the
 * entry when it is not. So a run request by name costs one round trip to the database instead of
 * two, and a version saved on another replica is still used from its first run on.
 *
 * Bounded in entries and in bytes, oldest used dropped first: a tenant with thousands of large
 * workflows only makes its own (and others') lookups go to the database again.
 */
export class WorkflowVersionCache {
  private readonly entries = new Map<string, Entry>();
  private yamlBytes = 0;

  get(tenantId: string, name: string): LatestWorkflowRef | undefined {
    const key = keyOf(tenantId, name);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last: eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.workflow;
  }

  remember(tenantId: string, name: string, workflow: LatestWorkflowRef, yamlBytes: number): void {
    if (yamlBytes > MAX_TOTAL_YAML_BYTES / 16) return;
    this.forget(tenantId, name);
    this.entries.set(keyOf(tenantId, name), { workflow, yamlBytes });
    this.yamlBytes += yamlBytes;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.yamlBytes <= MAX_TOTAL_YAML_BYTES) break;
      this.entries.delete(key);
      this.yamlBytes -= entry.yamlBytes;
    }
  }

  forget(tenantId: string, name: string): void {
    const key = keyOf(tenantId, name);
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.yamlBytes -= entry.yamlBytes;
  }

  get size(): number {
    return this.entries.size;
  }
}

function keyOf(tenantId: string, name: string): string {
  return `${tenantId}\u0000${name}`;
}
