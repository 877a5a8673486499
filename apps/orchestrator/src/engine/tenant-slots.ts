/**
 * A tenant's share of attempts in flight (queued or running), within one transition.
 *
 * The engine builds one per tenant of a batch after taking that tenant's advisory lock (see
 * `lockTenantSlots` in run-store.ts): `inFlight` counts every queued/running attempt row of the
 * tenant as committed, which under the lock is exact for writers that add attempts (they all hold
 * it) and at worst too high for concurrent writers that only finish attempts (they need no lock).
 * Machines of the batch report every row entering or leaving queued/running, so the count stays
 * right while they work. `oldestOtherWaiting` is the oldest attempt of the tenant waiting for a
 * slot in a run outside the batch: a younger attempt (or a new one) lets it go first, so one busy
 * run cannot starve the tenant's other runs.
 */
export class TenantSlots {
  constructor(
    readonly tenantId: string,
    readonly cap: number,
    private inFlight: number,
    private readonly oldestOtherWaiting: Date | null,
  ) {}

  /** May an attempt that has waited since `since` (a new one: now) start now? */
  canTake(since: Date): boolean {
    if (this.inFlight >= this.cap) return false;
    return this.oldestOtherWaiting === null || since.getTime() <= this.oldestOtherWaiting.getTime();
  }

  taken(): void {
    this.inFlight++;
  }

  released(): void {
    this.inFlight--;
  }

  get used(): number {
    return this.inFlight;
  }

  /** Slots are free and another run of the tenant has an attempt waiting for one. */
  get freeForOthers(): boolean {
    return this.oldestOtherWaiting !== null && this.inFlight < this.cap;
  }
}
