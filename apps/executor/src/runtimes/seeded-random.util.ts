import { createHash } from 'node:crypto';

const TWO_POW_48 = 2 ** 48;

/** A number in [0, 1) fixed by `parts`: the same parts always give the same number. */
export function hashToUnit(...parts: unknown[]): number {
  return createHash('sha256').update(JSON.stringify(parts)).digest().readUIntBE(0, 6) / TWO_POW_48;
}

/** A short hex tag fixed by `parts`, for telling simulated values apart. */
export function hashTag(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 4);
}

/**
 * A deterministic stream of numbers in [0, 1): the n-th draw is the hash of (seed, n). Not fast,
 * but the simulated runtime needs at most a few hundred draws per attempt and no state to save.
 */
export class SeededRandom {
  private counter = 0;

  constructor(private readonly seed: string) {}

  next(): number {
    return hashToUnit(this.seed, this.counter++);
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  tag(): string {
    return hashTag(this.seed, 'tag', this.counter++);
  }
}
