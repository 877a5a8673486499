/**
 * Every field name the OpenAPI document uses, with what it holds, gathered from schemas (request
 * bodies, parameters) and from examples (answers are documented by example). The consistency
 * test (openapi-names.int-spec.ts) checks that one name always means one thing.
 */

/**
 * What a field holds: a JSON type, refined for strings that are UUIDs or timestamps. Integers
 * count as numbers: JSON has one number type, and an example cannot tell `2` from `2.0`.
 */
export type FieldKind = 'uuid' | 'date-time' | 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface FieldUse {
  name: string;
  kind: FieldKind;
  /** JSON pointer-like location, for the failure message. */
  where: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function kindOfValue(value: unknown): FieldKind | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return UUID.test(value) ? 'uuid' : DATE_TIME.test(value) ? 'date-time' : 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'object';
}

function kindOfSchema(schema: Record<string, unknown>): FieldKind | undefined {
  const type = schema['type'];
  if (type === 'string') {
    if (schema['format'] === 'uuid') return 'uuid';
    if (schema['format'] === 'date-time') return 'date-time';
    return 'string';
  }
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean' || type === 'object' || type === 'array') return type;
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Fields of an example value, recursively (arrays: each element). */
function collectExample(value: unknown, where: string, out: FieldUse[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectExample(item, `${where}[${index}]`, out));
    return;
  }
  if (!isRecord(value)) return;
  for (const [name, child] of Object.entries(value)) {
    const kind = kindOfValue(child);
    if (kind) out.push({ name, kind, where: `${where}.${name}` });
    collectExample(child, `${where}.${name}`, out);
  }
}

/**
 * Walks the whole document: `properties` of schemas, `parameters` (name + schema), and every
 * `example` / `examples[*].value`. Free-form maps whose keys are data, not field names
 * (`changes`, `input`, `input_data`, `outputs`, `output`, `metadata`), are not descended into.
 */
export function collectFieldUses(document: unknown, freeForm: ReadonlySet<string>): FieldUse[] {
  const out: FieldUse[] = [];
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${where}/${index}`));
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node['name'] === 'string' && typeof node['in'] === 'string' && isRecord(node['schema'])) {
      const kind = kindOfSchema(node['schema']);
      if (kind && node['in'] !== 'header') out.push({ name: node['name'], kind, where });
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'properties' && isRecord(child)) {
        for (const [name, schema] of Object.entries(child)) {
          const kind = isRecord(schema) ? kindOfSchema(schema) : undefined;
          if (kind) out.push({ name, kind, where: `${where}/properties/${name}` });
          if (!freeForm.has(name)) visit(schema, `${where}/properties/${name}`);
        }
      } else if (key === 'example') {
        collectExampleSkipping(child, `${where}/example`, out, freeForm);
      } else if (key === 'examples' && isRecord(child)) {
        for (const [name, example] of Object.entries(child)) {
          if (isRecord(example))
            collectExampleSkipping(example['value'], `${where}/examples/${name}`, out, freeForm);
        }
      } else {
        visit(child, `${where}/${key}`);
      }
    }
  };
  visit(document, '#');
  return out.filter((use) => !ENVELOPE_FIELD.test(use.where));
}

/** `data`, `error`, `meta` of the answer envelope: structure, not fields of the API's resources. */
const ENVELOPE_FIELD =
  /\/(schema|schemas\/ErrorEnvelope)(\/properties\/|\/example\.)(data|error|meta)$|\/example\.(data|error|meta)$/;

function collectExampleSkipping(
  value: unknown,
  where: string,
  out: FieldUse[],
  freeForm: ReadonlySet<string>,
): void {
  const all: FieldUse[] = [];
  collectExample(value, where, all);
  // Drop every use that sits inside a free-form map (its keys are data).
  const skipped = all.filter((use) => {
    const segments = use.where.slice(where.length).split(/[.[]/).filter(Boolean);
    return !segments.slice(0, -1).some((segment) => freeForm.has(segment));
  });
  out.push(...skipped);
}

/** Names used with more than one kind: `{name: {kind: [where…]}}`. */
export function conflictingKinds(uses: readonly FieldUse[]): Record<string, Record<string, string[]>> {
  const byName = new Map<string, Map<FieldKind, string[]>>();
  for (const use of uses) {
    const kinds = byName.get(use.name) ?? new Map<FieldKind, string[]>();
    kinds.set(use.kind, [...(kinds.get(use.kind) ?? []), use.where]);
    byName.set(use.name, kinds);
  }
  const conflicts: Record<string, Record<string, string[]>> = {};
  for (const [name, kinds] of byName) {
    if (kinds.size > 1) {
      conflicts[name] = Object.fromEntries([...kinds].map(([kind, where]) => [kind, where.slice(0, 3)]));
    }
  }
  return conflicts;
}
