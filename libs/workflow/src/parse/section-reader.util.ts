import type { FieldProblem } from '@sandcastle/contracts';
import { didYouMean } from './did-you-mean.util';

/** A plain mapping as YAML or JSON gives it (not an array, not a Buffer/Date/Map). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Short, quoted rendering of a bad value for messages ("got 'linear'", "got a list"). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

export interface SectionPlace {
  /** Field path of the section itself: '' (top level), 'steps[1]', 'steps[1].retry'. */
  path: string;
  /** Who owns the section, named in messages: "step 'enrich'"; null at top level. */
  owner: string | null;
  /** How keys are named in messages: 'retry' gives "retry.backoff"; '' gives "backoff". */
  label: string;
}

/**
 * Reads typed fields out of one mapping of the workflow, recording a problem for every bad
 * field and carrying on, so that one parse reports everything that is wrong at once.
 * Absent keys and explicit nulls (`retry:` with nothing after it) both count as "not given".
 */
export class SectionReader {
  constructor(
    readonly raw: Record<string, unknown>,
    private readonly place: SectionPlace,
    readonly problems: FieldProblem[],
  ) {}

  field(key: string): string {
    return this.place.path === '' ? key : `${this.place.path}.${key}`;
  }

  report(key: string | null, message: string): void {
    const field = key === null ? this.place.path : this.field(key);
    this.problems.push({ field, message: this.place.owner ? `${this.place.owner}: ${message}` : message });
  }

  /** Reports a sentence about the owner: "step 'enrich' depends on unknown step 'scrap'". */
  reportAbout(key: string, predicate: string): void {
    const subject = this.place.owner ?? 'workflow';
    this.problems.push({ field: this.field(key), message: `${subject} ${predicate}` });
  }

  /** The key as named in messages, e.g. `retry.backoff`. */
  name(key: string): string {
    return this.place.label === '' ? key : `${this.place.label}.${key}`;
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.raw, key) && this.raw[key] != null;
  }

  get(key: string): unknown {
    return this.has(key) ? this.raw[key] : undefined;
  }

  /** Reports every key not in `allowed`; `misplaced` gives a better hint for known mistakes. */
  checkKeys(allowed: readonly string[], misplaced: Readonly<Record<string, string>> = {}): void {
    const where = this.place.label === '' ? '' : ` in ${this.place.label}`;
    for (const key of Object.keys(this.raw)) {
      if (allowed.includes(key)) continue;
      const hint = misplaced[key] ? ` (${misplaced[key]})` : didYouMean(key, allowed);
      this.report(key, `unknown key '${key}'${where}${hint}`);
    }
  }

  string(key: string, options: { required?: boolean; allowEmpty?: boolean } = {}): string | undefined {
    if (!this.has(key)) {
      if (options.required) this.report(key, `${this.name(key)} is required`);
      return undefined;
    }
    const value = this.raw[key];
    if (typeof value !== 'string') {
      this.report(key, `${this.name(key)} must be a string, got ${describeValue(value)}`);
      return undefined;
    }
    if (!options.allowEmpty && value.trim() === '') {
      this.report(key, `${this.name(key)} must not be empty`);
      return undefined;
    }
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    return this.numeric(key, min, max, true);
  }

  number(key: string, min: number, max: number): number | undefined {
    return this.numeric(key, min, max, false);
  }

  boolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    if (typeof value !== 'boolean') {
      this.report(key, `${this.name(key)} must be true or false, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    const choices = values.map((v) => `'${v}'`).join(', ');
    const hint = typeof value === 'string' ? didYouMean(value, values) : '';
    this.report(key, `${this.name(key)} must be one of ${choices}, got ${describeValue(value)}${hint}`);
    return undefined;
  }

  stringList(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      this.report(key, `${this.name(key)} must be a list of strings, got ${describeValue(value)}`);
      return undefined;
    }
    return value as string[];
  }

  /** A nested mapping, or undefined (reported) when the value is something else. */
  mapping(key: string): Record<string, unknown> | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    if (!isRecord(value)) {
      this.report(key, `${this.name(key)} must be a mapping, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** A reader for a nested mapping at `key`, sharing this reader's problem list. */
  nested(key: string, value: Record<string, unknown>): SectionReader {
    return new SectionReader(
      value,
      { path: this.field(key), owner: this.place.owner, label: this.name(key) },
      this.problems,
    );
  }

  private numeric(key: string, min: number, max: number, integer: boolean): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!integer || Number.isInteger(value)) &&
      value >= min &&
      value <= max;
    if (!ok) {
      const kind = integer ? 'an integer' : 'a number';
      this.report(
        key,
        `${this.name(key)} must be ${kind} from ${min} to ${max}, got ${describeValue(value)}`,
      );
      return undefined;
    }
    return value;
  }
}
