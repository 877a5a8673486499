/**
 * Counts what each key (a tenant, or a client address) holds open at once in this process, up
 * to `max` per key. A taken slot is given back exactly once by the function `tryTake` returns.
 */
export class ConcurrencySlots {
  private readonly held = new Map<string, number>();

  constructor(readonly max: number) {}

  /** A release function, or undefined when `key` already holds `max` slots. */
  tryTake(key: string): (() => void) | undefined {
    const current = this.held.get(key) ?? 0;
    if (current >= this.max) return undefined;
    this.held.set(key, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left <= 0) this.held.delete(key);
      else this.held.set(key, left);
    };
  }

  heldBy(key: string): number {
    return this.held.get(key) ?? 0;
  }
}
