import { InvalidStoragePathError, normaliseStoragePath } from '@sandcastle/contracts';
import { findPlaceholders } from './placeholder.util';
import { renderTemplate, TemplateTooLargeError } from './render-template.util';
import type { WorkflowDefinition } from '../definition';
import type { TemplateContext } from './template-context';

/**
 * `{storage.PATH}` in a prompt: the text of the object the workflow stored at PATH (the tenant's
 * own storage, see docs/storage.md). PATH may hold placeholders itself, e.g.
 * `{storage.memory/{input.company}/notes.md}`, so this scanner counts nested braces (one level),
 * which the plain placeholder pattern does not.
 */
export interface StorageReference {
  /** The whole reference including braces. */
  text: string;
  /** PATH as written (may contain `{input.x}`-style placeholders). */
  pathTemplate: string;
  index: number;
}

const OPEN = '{storage.';

export function findStorageReferences(template: string): StorageReference[] {
  const found: StorageReference[] = [];
  let from = 0;
  for (;;) {
    const start = template.indexOf(OPEN, from);
    if (start < 0) return found;
    let depth = 1;
    let end = -1;
    for (let i = start + OPEN.length; i < template.length; i++) {
      const c = template[i];
      if (c === '{') {
        depth++;
        if (depth > 2) break;
      } else if (c === '}') {
        depth--;
        if (depth === 0) {
          end = i;
          break;
        }
      }
    }
    if (end < 0) {
      from = start + OPEN.length;
      continue;
    }
    const pathTemplate = template.slice(start + OPEN.length, end);
    if (pathTemplate.trim() !== '' && !/\s/.test(pathTemplate.replace(/\{[^{}]*\}/g, ''))) {
      found.push({ text: template.slice(start, end + 1), pathTemplate, index: start });
    }
    from = end + 1;
  }
}

/**
 * Save-time check of a templated storage path (`on_complete.storage_path`, `storage_write`,
 * `{storage.PATH}`): with every placeholder replaced by a harmless name, the rest must be a safe
 * relative path. Values that placeholders bring in are checked again at run time.
 */
export function storagePathTemplateProblem(pathTemplate: string): string | null {
  const placeholders = findPlaceholders(pathTemplate);
  let probe = pathTemplate;
  for (const p of placeholders.reverse())
    probe = probe.slice(0, p.index) + 'x' + probe.slice(p.index + p.text.length);
  if (/[{}]/.test(probe))
    return `'${pathTemplate}' has braces that are not a placeholder such as {input.x} or {run_id}`;
  try {
    normaliseStoragePath(probe);
    return null;
  } catch (err) {
    if (err instanceof InvalidStoragePathError) return err.message;
    throw err;
  }
}

/**
 * A templated storage path rendered for one run: placeholders filled, then normalised.
 * Throws InvalidStoragePathError when a value made it unsafe or a placeholder could not be resolved.
 */
export function renderStoragePath(pathTemplate: string, ctx: TemplateContext): string {
  let rendered: string;
  try {
    rendered = renderTemplate(pathTemplate, ctx, { maxBytes: 4096 });
  } catch (err) {
    if (err instanceof TemplateTooLargeError)
      throw new InvalidStoragePathError(pathTemplate, 'renders longer than 4096 bytes');
    throw err;
  }
  if (findPlaceholders(rendered).length > 0 || /[{}]/.test(rendered)) {
    throw new InvalidStoragePathError(
      rendered,
      'a placeholder in it could not be resolved (or a value brought braces in)',
    );
  }
  return normaliseStoragePath(rendered);
}

/**
 * Storage paths a run input alone decides (`on_complete.storage_path`, `storage_write`,
 * `{storage.PATH}` whose placeholders are only `input.*`, `run_id` and `date`), rendered for this
 * input: a value that makes one unsafe (`{"company": "../other"}`), or a missing input key, is
 * refused before the run exists. Paths that read step outputs are checked when they render.
 */
export function storagePathProblems(
  definition: Pick<WorkflowDefinition, 'steps' | 'onComplete'>,
  input: Record<string, unknown>,
): { field: string; message: string }[] {
  const templates: { field: string; template: string; fanOut: boolean }[] = [];
  const onComplete = definition.onComplete?.storagePath;
  if (onComplete) templates.push({ field: 'on_complete.storage_path', template: onComplete, fanOut: false });
  definition.steps.forEach((step, i) => {
    const fanOut = step.parallelOver !== null;
    if (step.storageWrite !== undefined)
      templates.push({ field: `steps[${i}].storage_write`, template: step.storageWrite, fanOut });
    for (const prompt of [step.prompt, step.fallback?.prompt ?? '']) {
      for (const ref of findStorageReferences(prompt)) {
        templates.push({ field: `steps[${i}].prompt`, template: ref.pathTemplate, fanOut });
      }
    }
  });
  const ctx: TemplateContext = {
    input,
    steps: {},
    runId: '00000000-0000-4000-8000-000000000000',
    date: new Date().toISOString().slice(0, 10),
  };
  const problems: { field: string; message: string }[] = [];
  for (const { field, template, fanOut } of templates) {
    const placeholders = findPlaceholders(template);
    const decidedByInput = placeholders.every(
      (p) => p.segments[0] !== 'steps' && !(fanOut && ['_item', '_index'].includes(p.segments[1] ?? '')),
    );
    if (!decidedByInput) continue;
    try {
      renderStoragePath(template, ctx);
    } catch (err) {
      if (!(err instanceof InvalidStoragePathError)) throw err;
      problems.push({ field, message: `${template} with this input: ${err.message}` });
    }
  }
  return problems;
}
