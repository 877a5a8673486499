import { jsonBytes } from '@sandcastle/contracts';
import { OutputTooLargeError } from './agent-runtime';
import type { SeededRandom } from './seeded-random.util';

/**
 * Bytes a simulated output may take (MAX_STEP_OUTPUT_BYTES). Generation spends from it as it
 * goes and stops with OutputTooLargeError the moment it runs out, so `minItems: 1e9` or
 * `minLength: 1e9` in an output_schema costs a few hundred KB of work, never an executor.
 */
export class OutputBudget {
  private spent = 0;

  constructor(readonly maxBytes: number) {}

  spend(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.maxBytes) {
      throw new OutputTooLargeError(
        `the simulated output for this output_schema would exceed ${this.maxBytes} bytes (MAX_STEP_OUTPUT_BYTES)`,
      );
    }
  }
}

const UNLIMITED = (): OutputBudget => new OutputBudget(Number.POSITIVE_INFINITY);

type Schema = Record<string, unknown>;

const DEFAULT_ARRAY_LENGTH = 3;
const MAX_DEPTH = 16;
const PROMPT_SUMMARY_CHARS = 160;
const BASE_DATE_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The one type to generate: the first non-null of a type list, or inferred from keywords. */
function typeOf(schema: Schema): string | null {
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const concrete = (t as unknown[]).find((x) => typeof x === 'string' && x !== 'null');
    if (typeof concrete === 'string') return concrete;
    return t.includes('null') ? 'null' : null;
  }
  if (isSchema(schema['properties'])) return 'object';
  if (schema['items'] !== undefined || Array.isArray(schema['prefixItems'])) return 'array';
  return null;
}

/** anyOf/oneOf → the first non-null branch; allOf → its members merged (shallow, good enough here). */
function resolveComposition(schema: Schema): Schema {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const pick =
        (options as unknown[]).find((o) => isSchema(o) && o['type'] !== 'null') ?? (options as unknown[])[0];
      if (isSchema(pick)) return resolveComposition({ ...schema, [key]: undefined, ...pick });
    }
  }
  const all = schema['allOf'];
  if (Array.isArray(all)) {
    return resolveComposition(
      Object.assign({}, schema, { allOf: undefined }, ...all.filter(isSchema)) as Schema,
    );
  }
  return schema;
}

function fitLength(text: string, schema: Schema, budget: OutputBudget): string {
  const max = num(schema['maxLength']);
  const min = num(schema['minLength']);
  let out = max !== null && text.length > max ? text.slice(0, Math.max(0, max)) : text;
  // Spent before padding: the padded string is never built when it would not fit.
  budget.spend(Math.max(out.length, min ?? 0) + 2);
  if (min !== null && out.length < min) out = out.padEnd(min, '.');
  return out;
}

function simulateString(schema: Schema, rng: SeededRandom, label: string, budget: OutputBudget): string {
  const text = formattedString(schema, rng, label, budget);
  if (schema['format'] !== undefined && typeof schema['format'] === 'string') budget.spend(text.length + 2);
  return text;
}

function formattedString(schema: Schema, rng: SeededRandom, label: string, budget: OutputBudget): string {
  const tag = rng.tag();
  switch (schema['format']) {
    case 'date-time':
      return new Date(BASE_DATE_MS + rng.int(0, 364) * DAY_MS + rng.int(0, 86_399) * 1000).toISOString();
    case 'date':
      return new Date(BASE_DATE_MS + rng.int(0, 364) * DAY_MS).toISOString().slice(0, 10);
    case 'time':
      return `${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00Z`;
    case 'email':
      return `simulated.${tag}@example.com`;
    case 'uri':
    case 'url':
    case 'iri':
      return `https://example.com/simulated/${tag}`;
    case 'hostname':
      return `simulated-${tag}.example.com`;
    case 'ipv4':
      return `192.0.2.${rng.int(1, 254)}`;
    case 'uuid': {
      const hex = Array.from({ length: 8 }, () => rng.tag()).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    }
    default:
      return fitLength(`simulated ${label} (${tag})`, schema, budget);
  }
}

function bounds(schema: Schema, integer: boolean): [number, number] {
  const exMin = num(schema['exclusiveMinimum']);
  const exMax = num(schema['exclusiveMaximum']);
  const step = integer ? 1 : 0.01;
  let lo = num(schema['minimum']) ?? (exMin !== null ? exMin + step : null);
  let hi = num(schema['maximum']) ?? (exMax !== null ? exMax - step : null);
  if (integer) {
    lo = lo === null ? null : Math.ceil(lo);
    hi = hi === null ? null : Math.floor(hi);
  }
  if (lo === null && hi === null) return [0, 100];
  if (lo === null) return [Math.min(0, (hi ?? 0) - 100), hi ?? 0];
  if (hi === null) return [lo, lo + 100];
  return hi < lo ? [lo, lo] : [lo, hi];
}

function simulateNumber(schema: Schema, rng: SeededRandom, integer: boolean): number {
  const [lo, hi] = bounds(schema, integer);
  if (integer) return rng.int(lo, hi);
  const raw = lo + rng.next() * (hi - lo);
  const rounded = Math.round(raw * 100) / 100;
  return rounded >= lo && rounded <= hi ? rounded : raw;
}

function simulateArray(
  schema: Schema,
  rng: SeededRandom,
  label: string,
  depth: number,
  budget: OutputBudget,
): unknown[] {
  const min = num(schema['minItems']) ?? 0;
  const max = num(schema['maxItems']) ?? Number.POSITIVE_INFINITY;
  const length = Math.max(min, Math.min(max, DEFAULT_ARRAY_LENGTH));
  const prefix = Array.isArray(schema['prefixItems'])
    ? schema['prefixItems']
    : Array.isArray(schema['items'])
      ? schema['items']
      : [];
  const rest = isSchema(schema['items']) ? schema['items'] : undefined;
  const out: unknown[] = [];
  budget.spend(2);
  for (let i = 0; i < length; i++) {
    budget.spend(1); // at least a comma per element: the loop ends when the budget does
    out.push(simulateValue(prefix[i] ?? rest, rng, `${label} #${i + 1}`, depth + 1, budget));
  }
  return out;
}

function simulateObject(
  schema: Schema,
  rng: SeededRandom,
  label: string,
  depth: number,
  budget: OutputBudget,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isSchema(schema['properties']) ? schema['properties'] : {};
  budget.spend(2);
  for (const [key, propSchema] of Object.entries(properties)) {
    budget.spend(key.length + 4);
    out[key] = simulateValue(propSchema, rng, label ? `${label} ${key}` : key, depth + 1, budget);
  }
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  for (const key of required) if (typeof key === 'string' && !(key in out)) out[key] = null;
  return out;
}

/**
 * A JSON value shaped by a JSON Schema, drawn from `rng`. Strings name the field they fill
 * ("simulated competitors #2 (3fa1)") so nobody mistakes them for real agent output. Schema parts
 * it cannot imitate (`$ref`, `pattern`, unknown types) give null rather than a wrong guess.
 */
export function simulateValue(
  schema: unknown,
  rng: SeededRandom,
  label = '',
  depth = 0,
  budget: OutputBudget = UNLIMITED(),
): unknown {
  budget.spend(4); // every value is at least `null`
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  const s = resolveComposition(schema);
  if ('const' in s) {
    budget.spend(jsonBytes(s['const']));
    return s['const'];
  }
  const options = s['enum'];
  if (Array.isArray(options) && options.length > 0) {
    const pick: unknown = options[rng.int(0, options.length - 1)];
    budget.spend(jsonBytes(pick));
    return pick;
  }
  switch (typeOf(s) ?? '') {
    case 'object':
      return simulateObject(s, rng, label, depth, budget);
    case 'array':
      return simulateArray(s, rng, label || 'item', depth, budget);
    case 'string':
      return simulateString(s, rng, label || 'output', budget);
    case 'integer':
      return simulateNumber(s, rng, true);
    case 'number':
      return simulateNumber(s, rng, false);
    case 'boolean':
      return rng.next() < 0.5;
    default:
      return null;
  }
}

/** The text a simulated step returns when it has no output schema. */
export function simulateText(model: string, prompt: string): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  const summary = flat.length <= PROMPT_SUMMARY_CHARS ? flat : `${flat.slice(0, PROMPT_SUMMARY_CHARS - 1)}…`;
  return `[simulated ${model}] ${summary || '(empty prompt)'}`;
}
