import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NatsNames } from '@sandcastle/contracts';

const encoder = new TextEncoder();

/** How long a stopped run is remembered: longer than any dispatch can wait in a queue. */
export const STOPPED_RUN_MEMORY_MS = 24 * 60 * 60_000;

export function stoppedRunsBucket(names: NatsNames): string {
  return `${names.namespace.toUpperCase()}_STOPPED_RUNS`;
}

/**
 * Runs that were stopped (cancelled, failed, over budget) while attempts were queued or running,
 * in a JetStream key-value bucket. The core-NATS cancel signal reaches only attempts running at
 * that moment; this record also stops dispatches still waiting in the queue or in an executor's
 * buffer, and reaches executors that start later. Entries expire with the bucket's TTL.
 */
export class StoppedRuns {
  private constructor(private readonly kv: KV) {}

  static async open(
    nc: NatsConnection,
    names: NatsNames,
    ttlMs = STOPPED_RUN_MEMORY_MS,
  ): Promise<StoppedRuns> {
    const kv = await new Kvm(nc).create(stoppedRunsBucket(names), { ttl: ttlMs, history: 1 });
    return new StoppedRuns(kv);
  }

  async markStopped(runId: string, reason: string): Promise<void> {
    await this.kv.put(runId, encoder.encode(JSON.stringify({ reason, at: new Date().toISOString() })));
  }

  /**
   * Calls `onStopped` for every run stopped within the TTL (the current contents first), then for
   * every run stopped from now on. Resolves once the current contents were delivered.
   */
  async watch(onStopped: (runId: string, reason: string, at: Date) => void): Promise<() => void> {
    const iterator = await this.kv.watch();
    let caughtUp!: () => void;
    const initial = new Promise<void>((resolve) => (caughtUp = resolve));
    void (async () => {
      for await (const entry of iterator) {
        if (entry.operation === 'PUT') {
          let reason = 'run stopped';
          try {
            reason = entry.json<{ reason?: string }>().reason ?? reason;
          } catch {
            // an unreadable value still marks the run stopped
          }
          onStopped(entry.key, reason, entry.created);
        }
        if (entry.delta === 0) caughtUp();
      }
    })();
    // An empty bucket delivers nothing to catch up on.
    const status = await this.kv.status();
    if (status.values === 0) caughtUp();
    await initial;
    return () => iterator.stop();
  }
}
