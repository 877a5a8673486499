import type { ListMeta } from '@sandcastle/contracts';

/** A page of a list: the envelope interceptor sends `items` as `data` and the rest as `meta`. */
export class Paged<T> {
  constructor(
    readonly items: T[],
    readonly meta: ListMeta,
  ) {}

  /** A complete, unpaginated list. */
  static all<T>(items: T[]): Paged<T> {
    return new Paged(items, { total: items.length, limit: items.length, offset: 0 });
  }
}
