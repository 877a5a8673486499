import {
  artifactStepPart,
  mentionsOutputRef,
  OUTPUT_REF_KEY,
  PREVIEW_BYTES,
  safeArtifactFileName,
  utf8Bytes,
  utf8Prefix,
  type ArtifactRecord,
  type StepDispatch,
} from '@sandcastle/contracts';
import { runObjectKey, type StorageBackend } from '@sandcastle/storage';
import type { RuntimeFile } from '../runtimes/agent-runtime';

type Attempt = Pick<StepDispatch, 'tenantId' | 'runId' | 'stepId' | 'itemIndex' | 'attempt' | 'storageWrite'>;

export interface StoredAttempt {
  /** What the result carries: the output itself, or a reference to it. */
  output: unknown;
  artifacts: ArtifactRecord[];
}

/** `<step>[.<item>].a<attempt>`: names never collide between items, attempts or steps. */
function attemptPart(a: Attempt): string {
  return `${artifactStepPart(a.stepId, a.itemIndex)}.a${a.attempt}`;
}

function record(
  a: Attempt,
  name: string,
  kind: ArtifactRecord['kind'],
  key: string,
  size: number,
  contentType: string,
): ArtifactRecord {
  return { name, kind, key, size, contentType, stepId: a.stepId, itemIndex: a.itemIndex };
}

/**
 * What an attempt stores before it reports (docs/storage.md). Every write goes through the
 * retrying store; a failure throws (StorageUnavailableError) and the caller fails the attempt
 * with STORAGE_ERROR, keeping its cost.
 *
 * - An output whose JSON is above MAX_STEP_OUTPUT_BYTES (or that mentions the reference marker,
 *   so a runtime can never forge a reference) goes to `runs/<run>/output.<step>….json`; the
 *   result carries `{"$sandcastle_output_ref": {name, key, size, content_type, preview}}`.
 * - `storage_write`: the output at the tenant's path: a string as text, anything else as JSON.
 * - Runtime files (Sandstorm `file` events) to `runs/<run>/file.<step>….<name>`.
 */
export async function storeAttempt(
  a: Attempt,
  output: unknown,
  files: readonly RuntimeFile[],
  storage: StorageBackend,
  inlineLimit: number,
): Promise<StoredAttempt> {
  const artifacts: ArtifactRecord[] = [];
  const json = JSON.stringify(output ?? null);
  let inline: unknown = output;
  if (utf8Bytes(json) > inlineLimit || mentionsOutputRef(json)) {
    const name = `output.${attemptPart(a)}.json`;
    const key = runObjectKey(a.tenantId, a.runId, name);
    await storage.put(key, json, 'application/json');
    const size = Buffer.byteLength(json);
    artifacts.push(record(a, name, 'output', key, size, 'application/json'));
    inline = {
      [OUTPUT_REF_KEY]: {
        name,
        key,
        size,
        content_type: 'application/json',
        preview: utf8Prefix(json, PREVIEW_BYTES),
      },
    };
  }
  if (a.storageWrite) {
    const text = typeof output === 'string';
    const body = text ? output : json;
    const contentType = text ? 'text/plain; charset=utf-8' : 'application/json';
    await storage.put(a.storageWrite.key, body, contentType);
    artifacts.push(
      record(
        a,
        `write.${artifactStepPart(a.stepId, a.itemIndex)}`,
        'write',
        a.storageWrite.key,
        Buffer.byteLength(body),
        contentType,
      ),
    );
  }
  const used = new Set<string>();
  for (const file of files) {
    let name = `file.${attemptPart(a)}.${safeArtifactFileName(file.name)}`;
    for (let n = 2; used.has(name); n++)
      name = `file.${attemptPart(a)}.${n}.${safeArtifactFileName(file.name)}`;
    used.add(name);
    const key = runObjectKey(a.tenantId, a.runId, name);
    const contentType = contentTypeOf(file.name);
    await storage.put(key, file.data, contentType);
    artifacts.push(record(a, name, 'file', key, file.data.length, contentType));
  }
  return { output: inline, artifacts };
}

const TYPES: Record<string, string> = {
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
};

function contentTypeOf(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) ?? 'application/octet-stream';
}
