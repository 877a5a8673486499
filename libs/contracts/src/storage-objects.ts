import { utf8Bytes } from './limits';

/**
 * Large payloads travel as references (DESIGN.md rule 8): an output above MAX_STEP_OUTPUT_BYTES
 * is stored as an object by the executor and its place in the run (step row, run outputs,
 * checkpoints, fan-out lists, the template context) holds this descriptor instead:
 *
 *   {"$sandcastle_output_ref": {"name": "output.big.json", "key": "tenants/…", "size": 5242880,
 *                               "content_type": "application/json", "preview": "{\"text\":\"…"}}
 *
 * Tenant output can never forge one: an output whose JSON contains the marker key is always
 * offloaded itself (so the descriptor a run holds is always the executor's).
 */
export const OUTPUT_REF_KEY = '$sandcastle_output_ref';

export interface OutputRef {
  /** The artifact's name within its run (`GET /runs/{id}/artifacts/{name}`). */
  name: string;
  /** Full object key, under the tenant's prefix. */
  key: string;
  size: number;
  content_type: string;
  /** The first PREVIEW_BYTES of the stored JSON text. */
  preview: string;
}

export type OffloadedOutput = { [OUTPUT_REF_KEY]: OutputRef };

/** Bytes of an offloaded output shown inline (run detail, events, dashboards). */
export const PREVIEW_BYTES = 1024;

/** The descriptor when `value` is an offloaded output, else null. */
export function outputRefOf(value: unknown): OutputRef | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== OUTPUT_REF_KEY) return null;
  const ref = (value as Record<string, unknown>)[OUTPUT_REF_KEY];
  if (typeof ref !== 'object' || ref === null) return null;
  const r = ref as Record<string, unknown>;
  if (typeof r['key'] !== 'string' || typeof r['name'] !== 'string' || typeof r['size'] !== 'number')
    return null;
  return {
    name: r['name'],
    key: r['key'],
    size: r['size'],
    content_type: typeof r['content_type'] === 'string' ? r['content_type'] : 'application/json',
    preview: typeof r['preview'] === 'string' ? r['preview'] : '',
  };
}

/** True when a JSON text mentions the marker anywhere (a value holding references, or a forgery). */
export function mentionsOutputRef(jsonText: string): boolean {
  return jsonText.includes(`"${OUTPUT_REF_KEY}"`);
}

/** At most `maxBytes` UTF-8 bytes of `text`, never cutting a character in two. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const cut = new TextDecoder().decode(new TextEncoder().encode(text).subarray(0, maxBytes));
  // A cut inside a multi-byte character decodes to U+FFFD at the end: drop it.
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}

/** What a run wrote to storage; one row of `run_artifacts`, one entry of `GET /runs/{id}/artifacts`. */
export const ARTIFACT_KINDS = ['output', 'file', 'write', 'result'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface ArtifactRecord {
  /** Unique within the run, `[A-Za-z0-9._-]`: `output.<step>[.<item>].json`, `file.<step>[.<item>].<file>`, `write.<step>[.<item>]`, `on_complete.json`. */
  name: string;
  kind: ArtifactKind;
  /** Full object key, under the tenant's prefix. */
  key: string;
  size: number;
  contentType: string;
  stepId: string | null;
  /** Fan-out item, or null. */
  itemIndex: number | null;
}

/** `<step>` or `<step>.<item>`: the part of an artifact name that says which step row made it. */
export function artifactStepPart(stepId: string, itemIndex: number | null): string {
  return itemIndex === null ? stepId : `${stepId}.${itemIndex}`;
}

/** A file name a runtime chose, reduced to `[A-Za-z0-9._-]` (never `.` or `..`, at most 120 characters). */
export function safeArtifactFileName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-120);
  return cleaned === '' ? 'file' : cleaned;
}

/** Artifact names as the API accepts them in a URL. */
export const ARTIFACT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,250}$/;

/**
 * A deferred piece of a prompt: rendered by the executor (which may read storage) rather than
 * by the orchestrator, so neither the dispatch message nor the step row ever carries the object.
 * `text` pieces are literal; `object` pieces read one object (`{storage.PATH}`: its text, or
 * `{steps.ID.output…}` of an offloaded output: the JSON, walked by `path`); `value` pieces are
 * a JSON value that holds references (a fan-out list with offloaded items), expanded in place.
 */
export type PromptPart =
  | { text: string }
  | {
      object: string;
      /** `json`: parse and walk `path`, insert like a template value; `text`: the object as UTF-8 text. */
      as: 'json' | 'text';
      path?: string[];
      /** What the placeholder looked like, inserted when `path` does not exist in the object. */
      placeholder: string;
      /** For `{storage.PATH}`: the step's `storage_default`, used when the object is missing. */
      default?: string | null;
      /** The tenant-visible path, for error messages. */
      label: string;
    }
  | { value: unknown };
