/**
 * A tenant's share of attempts in flight (queued or running), within one transition.
 *
 * The engine builds one per tenant of a batch from a count of the tenant's queued/running attempt
 * rows as committed. A batch that ends up adding attempts then takes the tenant's advisory lock
 * and checks the count again before it commits (RunEngine.confirmSlots), or, after losing such a
 * race, counts under the lock from the start (see `lockTenantSlots` in run-store.ts).
 * Machines of the batch report every row entering or leaving queued/running, so the count stays
 * right while they work. `oldestOtherWaiting` is the oldest attempt of the tenant waiting for a
 * slot in a run outside the batch: a younger attempt (or a new one) lets it go first, so one busy
 * run cannot starve the tenant's other runs.
 */
export class TenantSlots {
  private readonly initial: number;

  constructor(
    readonly tenantId: string,
    readonly cap: number,
    private inFlight: number,
    private readonly oldestOtherWaiting: Date | null,
  ) {
    this.initial = inFlight;
  }

  /** Attempts in flight this transition added, net (negative when it finished more than it started). */
  get added(): number {
    return this.inFlight - this.initial;
  }

  /**
   * May an attempt that has waited since `since` (a new one: now) start now? `keepsLane`: the
   * attempt continues a run whose last attempt in flight just ended (MachineContext.keepsLane):
   * it reuses that slot without yielding to older waiters, so a saturated tenant finishes the
   * runs it has started instead of making every step of every run wait its turn.
   */
  canTake(since: Date, keepsLane = false): boolean {
    if (this.inFlight >= this.cap) return false;
    if (keepsLane) return true;
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
