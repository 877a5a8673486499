import { JsonBudgetExceeded, stringifyWithin, utf8Bytes } from '@sandcastle/contracts';
import { findPlaceholders } from './placeholder.util';
import type { TemplateContext } from './template-context';

export interface ResolvedPath {
  found: boolean;
  value: unknown;
}

const NOT_FOUND: ResolvedPath = { found: false, value: undefined };

/** The start of a dotted path: a container walked with the rest of the path, or a leaf value. */
export type PathRoot =
  | { kind: 'container'; value: unknown; rest: string[] }
  | { kind: 'leaf'; value: unknown }
  | { kind: 'missing' };

export function pathRoot(path: string, ctx: TemplateContext): PathRoot {
  const [root = '', ...rest] = path.split('.');
  switch (root) {
    case 'input':
      return { kind: 'container', value: ctx.input, rest };
    case 'steps':
      return { kind: 'container', value: ctx.steps, rest };
    case 'run_id':
      return rest.length === 0 ? { kind: 'leaf', value: ctx.runId } : { kind: 'missing' };
    case 'date':
      return rest.length === 0 ? { kind: 'leaf', value: ctx.date } : { kind: 'missing' };
    default:
      return { kind: 'missing' };
  }
}

/**
 * Resolves a dotted path against the context: `input.a.0`, `steps.fetch-leads.output.items`,
 * `run_id`, `date`. Objects are walked by own key, arrays by a decimal index. Anything that does
 * not exist is `{found: false}`; a value that exists but is null is `{found: true, value: null}`.
 */
export function resolvePath(path: string, ctx: TemplateContext): ResolvedPath {
  const root = pathRoot(path, ctx);
  if (root.kind === 'missing') return NOT_FOUND;
  if (root.kind === 'leaf') return { found: true, value: root.value };
  let current = root.value;
  for (const segment of root.rest) {
    const next = child(current, segment);
    if (!next.found) return NOT_FOUND;
    current = next.value;
  }
  return { found: true, value: current };
}

export function child(container: unknown, segment: string): ResolvedPath {
  if (Array.isArray(container)) {
    if (!/^(0|[1-9][0-9]*)$/.test(segment)) return NOT_FOUND;
    const index = Number(segment);
    return index < container.length ? { found: true, value: container[index] as unknown } : NOT_FOUND;
  }
  if (typeof container === 'object' && container !== null) {
    // Own keys only: `{input.constructor}` must not reach into Object.prototype.
    if (!Object.prototype.hasOwnProperty.call(container, segment)) return NOT_FOUND;
    const value = (container as Record<string, unknown>)[segment];
    return value === undefined ? NOT_FOUND : { found: true, value };
  }
  return NOT_FOUND;
}

/** How a resolved value is written into text: objects and lists as JSON, null as `null`. */
export function stringifyTemplateValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  // Objects and lists; JSON has nothing else (undefined or a function could only come from code).
  return JSON.stringify(value) ?? '';
}

/** The rendered text would exceed `maxBytes`: rendering stopped as soon as it knew. */
export class TemplateTooLargeError extends Error {
  constructor(
    readonly limit: number,
    /** Bytes rendered when rendering stopped: the full text would be at least this large. */
    readonly atLeast: number,
  ) {
    super(`the rendered prompt exceeds ${limit} bytes (at least ${atLeast} bytes)`);
    this.name = 'TemplateTooLargeError';
  }
}

export interface RenderOptions {
  /** Stop with TemplateTooLargeError once the text passes this many UTF-8 bytes. */
  maxBytes?: number;
}

/**
 * Fills `{input.x}`, `{steps.ID.output.field}`, `{run_id}`, `{date}` (and inside fan-out
 * `{input._item}`, `{input._index}`). Placeholders that cannot be resolved stay unchanged, as
 * in the original, so a prompt never silently loses text.
 *
 * With `maxBytes`, the size is counted piece by piece and rendering stops at the first piece
 * that passes it: a 256 KB output referenced a thousand times costs one serialisation (values
 * are serialised once per path) and a few hundred KB, never the hundreds of MB it would expand
 * to.
 */
export function renderTemplate(template: string, ctx: TemplateContext, options: RenderOptions = {}): string {
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const pieces: string[] = [];
  const cache = new Map<string, string | null>();
  let bytes = 0;
  const add = (piece: string): void => {
    if (piece === '') return;
    bytes += utf8Bytes(piece);
    if (bytes > max) throw new TemplateTooLargeError(max, bytes);
    pieces.push(piece);
  };
  let last = 0;
  for (const { index, text, path } of findPlaceholders(template)) {
    add(template.slice(last, index));
    let value = cache.get(path);
    if (value === undefined) {
      const resolved = resolvePath(path, ctx);
      value = resolved.found ? stringifyWithinBudget(resolved.value, max - bytes, max, bytes) : null;
      cache.set(path, value);
    }
    add(value ?? text);
    last = index + text.length;
  }
  add(template.slice(last));
  return pieces.join('');
}

/**
 * `stringifyTemplateValue`, but a list or object is serialised only up to the remaining budget
 * (`room` bytes of `limit`, `rendered` already used): past it, TemplateTooLargeError.
 */
export function stringifyWithinBudget(value: unknown, room: number, limit: number, rendered: number): string {
  if (value === null || typeof value !== 'object' || !Number.isFinite(room))
    return stringifyTemplateValue(value);
  try {
    return stringifyWithin(value, room);
  } catch (err) {
    if (err instanceof JsonBudgetExceeded) throw new TemplateTooLargeError(limit, rendered + err.atLeast);
    throw err;
  }
}
