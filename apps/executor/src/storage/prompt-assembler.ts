import { utf8Bytes, type AttemptErrorKind, type PromptPart, type StepDispatch } from '@sandcastle/contracts';
import { belongsToTenant, StorageUnavailableError, type StorageBackend } from '@sandcastle/storage';
import { stringifyTemplateValue, walkJsonPath } from '@sandcastle/workflow';
import { expandOutputRefs } from './output-refs.util';

export type AssembledPrompt =
  { ok: true; prompt: string } | { ok: false; error: string; kind: AttemptErrorKind };

/**
 * The executor's half of template rendering: the orchestrator left `{storage.PATH}` and
 * placeholders into offloaded outputs as pieces (StepDispatch.promptParts); this reads the
 * objects (only keys under the run's tenant prefix) and builds the prompt the runtime gets,
 * bounded by MAX_PROMPT_BYTES. A missing object is a clear step error unless the step gave a
 * `storage_default`; a storage outage (after retries) fails the attempt with STORAGE_ERROR, so
 * the step's retry policy applies.
 */
export async function assemblePrompt(
  d: Pick<StepDispatch, 'prompt' | 'promptParts' | 'tenantId'>,
  storage: StorageBackend,
  maxPromptBytes: number,
): Promise<AssembledPrompt> {
  if (!d.promptParts) return { ok: true, prompt: d.prompt };
  const objects = new Map<string, Buffer | null>();
  const read = async (key: string): Promise<Buffer | null> => {
    if (!objects.has(key)) objects.set(key, await storage.get(key));
    return objects.get(key) ?? null;
  };
  const pieces: string[] = [];
  let bytes = 0;
  try {
    for (const part of d.promptParts) {
      const text = await renderPart(part, d.tenantId, read, storage);
      if (typeof text !== 'string') return text;
      bytes += utf8Bytes(text);
      if (bytes > maxPromptBytes) {
        return {
          ok: false,
          kind: 'PROMPT_TOO_LARGE',
          error: `the prompt with the storage objects it reads is at least ${bytes} bytes, above the limit of ${maxPromptBytes} (MAX_PROMPT_BYTES)`,
        };
      }
      pieces.push(text);
    }
  } catch (err) {
    if (err instanceof StorageUnavailableError)
      return { ok: false, kind: 'STORAGE_ERROR', error: err.message };
    // A stored output that is not JSON (changed behind Sandcastle's back) or a refused key: the
    // attempt fails visibly instead of the dispatch being redelivered until it is dead-lettered.
    const kind = err instanceof Error ? err.name : 'unknown error';
    return {
      ok: false,
      kind: 'STORAGE_ERROR',
      error: `reading the prompt's storage objects failed (${kind})`,
    };
  }
  return { ok: true, prompt: pieces.join('') };
}

async function renderPart(
  part: PromptPart,
  tenantId: string,
  read: (key: string) => Promise<Buffer | null>,
  storage: StorageBackend,
): Promise<string | Extract<AssembledPrompt, { ok: false }>> {
  if ('text' in part) return part.text;
  if ('value' in part) {
    const expanded = await expandOutputRefs(part.value, tenantId, storage);
    if (!expanded.ok) return { ok: false, kind: 'STORAGE_OBJECT_MISSING', error: expanded.error };
    return stringifyTemplateValue(expanded.value);
  }
  if (!belongsToTenant(part.object, tenantId)) {
    return {
      ok: false,
      kind: 'STORAGE_ERROR',
      error: `refused to read '${part.label}': not in this tenant's storage`,
    };
  }
  const body = await read(part.object);
  if (body === null) {
    if (part.as === 'text' && part.default !== undefined && part.default !== null) return part.default;
    return {
      ok: false,
      kind: 'STORAGE_OBJECT_MISSING',
      error:
        part.as === 'text'
          ? `${part.placeholder}: there is no object at '${part.label}' (give the step a storage_default to run without it)`
          : `${part.placeholder}: the offloaded output '${part.label}' is no longer in storage (removed by retention?)`,
    };
  }
  if (part.as === 'text') return body.toString('utf8');
  const walked = walkJsonPath(JSON.parse(body.toString('utf8')) as unknown, part.path ?? []);
  return walked.found ? stringifyTemplateValue(walked.value) : part.placeholder;
}
