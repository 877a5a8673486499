#!/usr/bin/env node
// Generates src/api/schema.gen.ts (TypeScript types of every path of the API) from the gateway's
// OpenAPI document, at every build, so a route another change adds is typed here without a step
// to remember and no stale copy is ever committed.
//
// The gateway documents each answer's `data` with a full example but, for most routes, only as
// `{type: object}`. Where that is so, the schema is inferred from the example (the same example
// the OpenAPI test requires on every route); a value the example shows as `null` becomes
// the type the same property shows in another example of the document, nullable (`unknown` when
// no example shows one). Agent data (inputs, outputs, changes) is free-form: any JSON object.
// Timestamps other than `created_at`/`updated_at` may be unset (a run not yet finished).
// Routes with a real schema keep it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../src/api/schema.gen.ts');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Properties that hold user or agent data: whatever JSON the workflow produced. */
const FREE_FORM = new Set(['input', 'input_data', 'outputs', 'output', 'changes', 'fork_changes', 'costs']);
const ALWAYS_SET = new Set(['created_at', 'updated_at']);

/** Property name → the schema a non-null example shows for it anywhere in the document. */
const seenTypes = new Map();

function collectTypes(value) {
  if (Array.isArray(value)) return value.forEach(collectTypes);
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && !seenTypes.has(key) && !FREE_FORM.has(key)) {
      const s = schemaOf(v);
      if (s.type !== 'object' && s.type !== 'array') seenTypes.set(key, s);
    }
    collectTypes(v);
  }
}

function propertySchema(key, value) {
  // A step's output may be text as well as JSON.
  if (key === 'output') return {};
  if (FREE_FORM.has(key)) return { type: 'object', additionalProperties: true, nullable: value === null };
  if (value === null)
    return seenTypes.has(key) ? { ...seenTypes.get(key), nullable: true } : { nullable: true };
  const schema = schemaOf(value);
  if (schema.format === 'date-time' && !ALWAYS_SET.has(key)) return { ...schema, nullable: true };
  return schema;
}

/** A JSON schema for a value seen in an example. */
export function schemaOf(value) {
  if (value === null || value === undefined) return { nullable: true };
  if (Array.isArray(value)) {
    const objects = value.filter((v) => v && typeof v === 'object' && !Array.isArray(v));
    if (objects.length) return { type: 'array', items: mergeObjects(objects) };
    return { type: 'array', items: value.length ? schemaOf(value[0]) : { nullable: true } };
  }
  switch (typeof value) {
    case 'string':
      return ISO_DATE.test(value) ? { type: 'string', format: 'date-time' } : { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    default:
      return mergeObjects([value]);
  }
}

/** A schema an example could not really show: null, or a list with no element. */
function isWeak(schema) {
  return (
    (schema.nullable && !schema.type) ||
    (schema.type === 'array' && isWeak(schema.items ?? { nullable: true }))
  );
}

function mergeObjects(objects) {
  const properties = {};
  for (const object of objects) {
    for (const [key, v] of Object.entries(object)) {
      const seen = propertySchema(key, v);
      // A later element that shows a type beats an earlier null or empty list.
      if (!properties[key] || isWeak(properties[key])) properties[key] = seen;
    }
  }
  return { type: 'object', required: Object.keys(properties), properties };
}

function isBare(schema) {
  return schema && schema.type === 'object' && !schema.properties && !schema.$ref && !schema.allOf;
}

/** Fills bare `data` schemas of successful JSON answers from their examples. */
export function typeAnswers(document) {
  for (const operations of Object.values(document.paths))
    for (const operation of Object.values(operations))
      for (const response of Object.values(operation.responses ?? {})) {
        const media = response.content?.['application/json'];
        collectTypes(media?.schema?.example?.data ?? media?.example?.data);
      }
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!status.startsWith('2')) continue;
        const media = response.content?.['application/json'];
        const envelope = media?.schema;
        const example = envelope?.example?.data ?? media?.example?.data;
        const data = envelope?.properties?.data;
        if (!data || example === undefined) continue;
        if (isBare(data)) envelope.properties.data = schemaOf(example);
        else if (data.type === 'array' && isBare(data.items) && Array.isArray(example))
          envelope.properties.data = schemaOf(example);
        if (envelope.properties.error && !envelope.properties.error.type)
          envelope.properties.error = { type: 'object', nullable: true };
      }
    }
  }
  return document;
}

async function main() {
  const json = execFileSync(process.execPath, [path.join(here, 'openapi-export.cjs')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const document = typeAnswers(JSON.parse(json));
  const ast = await openapiTS(document, { alphabetize: false, defaultNonNullable: false });
  const banner =
    '// Generated by apps/dashboard/scripts/generate-api.mjs from the gateway OpenAPI document. Do not edit.\n' +
    '/* eslint-disable */\n';
  const text = banner + astToString(ast);
  if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== text) fs.writeFileSync(out, text);
  console.log(
    `dashboard: API types from ${Object.keys(document.paths).length} paths → ${path.relative(process.cwd(), out)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
