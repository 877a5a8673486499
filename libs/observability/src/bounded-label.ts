/** The value a label takes once its budget of distinct values is spent. */
export const OTHER_LABEL_VALUE = '_other';

/**
 * Keeps one label's cardinality bounded when its values come from users (a workflow name):
 * the first `maxValues` distinct values seen by this process pass through (cut to `maxLength`
 * characters), every later one is reported as `_other`. Prometheus stores one series per value,
 * so a tenant that invents a thousand workflow names cannot blow up the time-series database.
 */
export class BoundedLabelValues {
  private readonly seen = new Set<string>();

  constructor(
    readonly maxValues = 100,
    readonly maxLength = 64,
  ) {}

  of(value: string): string {
    const cut = value.slice(0, this.maxLength);
    if (this.seen.has(cut)) return cut;
    if (this.seen.size >= this.maxValues) return OTHER_LABEL_VALUE;
    this.seen.add(cut);
    return cut;
  }
}
