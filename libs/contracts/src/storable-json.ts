import type { StepResult, TokenUsage } from './messages';
import { MAX_STORED_INT } from './limits';

/** Deeper output is refused: JSON.stringify and PostgreSQL both have nesting limits. */
export const MAX_OUTPUT_DEPTH = 128;

/** Thrown when an output cannot be made storable (too deeply nested). */
export class UnstorableValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnstorableValueError';
  }
}

// eslint-disable-next-line no-control-regex -- NUL is exactly what this finds
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string PostgreSQL can store in `text` and `jsonb`: NUL (which neither accepts) and lone
 * UTF-16 surrogates (which jsonb rejects as `\ud800` escapes) become U+FFFD, the replacement
 * character, so a reader sees that something was replaced rather than silently losing it.
 */
export function storableString(text: string): string {
  const noNul = text.includes('\u0000') ? text.replace(NUL, '\uFFFD') : text;
  return HAS_LONE_SURROGATE.test(noNul) ? noNul.replace(LONE_SURROGATE, '\uFFFD') : noNul;
}

/** True when `text` holds nothing `storableString` would change. */
export function isStorableString(text: string): boolean {
  return !text.includes('\u0000') && !HAS_LONE_SURROGATE.test(text);
}

/**
 * A copy of a JSON value that PostgreSQL can store: strings (and object keys) made storable,
 * numbers that JSON cannot carry (NaN, ±Infinity) turned to null, anything that is not JSON
 * (undefined, functions, symbols) dropped as JSON.stringify would. Throws UnstorableValueError
 * beyond MAX_OUTPUT_DEPTH levels of nesting. Values that need no change are returned as is.
 */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return typeof value === 'bigint' ? Number(value) : undefined;
  if (depth >= MAX_OUTPUT_DEPTH) {
    throw new UnstorableValueError(`output is nested deeper than ${MAX_OUTPUT_DEPTH} levels`);
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item: unknown) => {
      const clean = storableJson(item, depth + 1);
      if (clean !== item) changed = true;
      return clean === undefined ? null : clean;
    });
    return changed ? out : value;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const cleanKey = storableString(key);
    const clean = storableJson(item, depth + 1);
    if (cleanKey !== key || clean !== item) changed = true;
    if (clean !== undefined) out[cleanKey] = clean;
  }
  return changed ? out : value;
}

/** A token count an `integer` column accepts: a whole number in [0, 2^31 - 1]; garbage → 0. */
export function storableCount(n: unknown): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return 0;
  return Math.min(MAX_STORED_INT, Math.round(n));
}

/** A cost in USD: finite and not negative; anything else (NaN, Infinity, -1) counts as 0. */
export function storableCost(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

export function storableUsage(usage: Partial<TokenUsage> | null | undefined): TokenUsage {
  return {
    inputTokens: storableCount(usage?.inputTokens),
    outputTokens: storableCount(usage?.outputTokens),
    cacheCreationInputTokens: storableCount(usage?.cacheCreationInputTokens),
    cacheReadInputTokens: storableCount(usage?.cacheReadInputTokens),
  };
}

/**
 * The path (`a.b[2]`) of the first string or key in `value` that PostgreSQL could not store (a
 * NUL, a lone surrogate), or null when there is none. Iterative, so any depth is fine.
 */
export function findUnstorableText(value: unknown, root = ''): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: v, path } = item;
    if (typeof v === 'string') {
      if (!isStorableString(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${path}[${i}]` });
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = path === '' ? key : `${path}.${key}`;
        if (!isStorableString(key)) return childPath;
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}

/** Longest error text a result carries; the rest is cut (errors are for people, not data). */
export const MAX_ERROR_CHARS = 4000;

type ResultFields = Pick<StepResult, 'output' | 'error' | 'costUsd' | 'usage' | 'numTurns' | 'model'>;

/**
 * A result PostgreSQL can store whatever the runtime sent: output strings and keys cleaned
 * (storableJson; throws UnstorableValueError when nested too deeply), error text cleaned and
 * cut to MAX_ERROR_CHARS, token counts and turns clamped to the `integer` columns, a cost that
 * is not a finite non-negative number counted as 0. The executor applies it before a result is
 * sent; the orchestrator again before storing one (a second line against an older executor).
 */
export function storableResult<T extends ResultFields>(result: T): T {
  const error =
    result.error === null || result.error === undefined ? result.error : storableString(result.error);
  return {
    ...result,
    output: storableJson(result.output),
    error: error && error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error,
    costUsd: storableCost(result.costUsd),
    usage: storableUsage(result.usage),
    numTurns: storableCount(result.numTurns),
    model: storableString(result.model),
  };
}
