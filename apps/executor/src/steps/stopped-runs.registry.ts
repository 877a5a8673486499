import { STOPPED_RUN_MEMORY_MS } from '@sandcastle/messaging';

/**
 * Runs this executor knows to be stopped (from the stopped-runs bucket and the cancel signal).
 * A dispatch of such a run is not executed: it may have waited in the queue since before the
 * run was cancelled, failed or went over budget.
 */
export class StoppedRunsRegistry {
  private readonly stopped = new Map<string, { reason: string; at: number }>();

  add(runId: string, reason: string, at: Date = new Date()): void {
    this.stopped.set(runId, { reason, at: at.getTime() });
    this.prune();
  }

  reasonFor(runId: string): string | null {
    return this.stopped.get(runId)?.reason ?? null;
  }

  get size(): number {
    return this.stopped.size;
  }

  /** Forgets runs older than the bucket's memory, so the map stays small on a long-lived executor. */
  private prune(): void {
    const horizon = Date.now() - STOPPED_RUN_MEMORY_MS;
    for (const [runId, entry] of this.stopped) {
      if (entry.at >= horizon) break; // insertion order ≈ time order
      this.stopped.delete(runId);
    }
  }
}
