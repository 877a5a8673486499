import { mentionsOutputRef, outputRefOf, utf8Bytes, type OutputRef } from '@sandcastle/contracts';
import { findPlaceholders } from './placeholder.util';
import {
  child,
  pathRoot,
  stringifyWithinBudget,
  TemplateTooLargeError,
  type RenderOptions,
} from './render-template.util';
import { findStorageReferences, renderStoragePath } from './storage-refs.util';
import type { TemplateContext } from './template-context';

/** A piece of a prompt that only the executor can fill in (it reads storage). */
export type DeferredPiece =
  /** `{storage.PATH}`: PATH rendered and normalised (a tenant path, not yet a key). */
  | { kind: 'storage'; path: string; placeholder: string }
  /** A placeholder that reaches into an offloaded output: the object, then `path` inside it. */
  | { kind: 'output'; ref: OutputRef; path: string[]; placeholder: string }
  /** A value holding offloaded outputs (e.g. a fan-out list): expanded in place. */
  | { kind: 'value'; value: unknown; placeholder: string };

export type PromptPiece = { kind: 'text'; text: string } | DeferredPiece;

export interface RenderedPrompt {
  /** The prompt with deferred placeholders left as written: what the step row shows. */
  display: string;
  /** Null when nothing is deferred (then `display` is the prompt); otherwise every piece in order. */
  pieces: PromptPiece[] | null;
}

/**
 * `renderTemplate`, plus what needs storage: `{storage.PATH}` references and placeholders whose
 * value is (or sits inside) an offloaded output come out as deferred pieces, so the orchestrator
 * never loads an object and neither the step row nor the dispatch message carries one. The
 * inline part is bounded by `maxBytes` exactly as `renderTemplate` bounds a whole prompt.
 * Throws InvalidStoragePathError when a `{storage.PATH}` renders to an unsafe path.
 */
export function renderPromptParts(
  template: string,
  ctx: TemplateContext,
  options: RenderOptions = {},
): RenderedPrompt {
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const pieces: PromptPiece[] = [];
  let bytes = 0;
  let deferred = false;
  const count = (text: string): void => {
    bytes += utf8Bytes(text);
    if (bytes > max) throw new TemplateTooLargeError(max, bytes);
  };
  const addText = (text: string): void => {
    if (text === '') return;
    count(text);
    const last = pieces[pieces.length - 1];
    if (last?.kind === 'text') last.text += text;
    else pieces.push({ kind: 'text', text });
  };
  const addDeferred = (piece: DeferredPiece): void => {
    count(piece.placeholder);
    deferred = true;
    pieces.push(piece);
  };
  const renderInline = (segment: string): void => {
    let last = 0;
    for (const { index, text, path } of findPlaceholders(segment)) {
      addText(segment.slice(last, index));
      const resolved = resolveDeferring(path, ctx);
      if (resolved.kind === 'missing') addText(text);
      else if (resolved.kind === 'ref')
        addDeferred({ kind: 'output', ref: resolved.ref, path: resolved.rest, placeholder: text });
      else {
        const rendered = stringifyWithinBudget(resolved.value, max - bytes, max, bytes);
        if (typeof resolved.value === 'object' && resolved.value !== null && mentionsOutputRef(rendered)) {
          addDeferred({ kind: 'value', value: resolved.value, placeholder: text });
        } else addText(rendered);
      }
      last = index + text.length;
    }
    addText(segment.slice(last));
  };

  let last = 0;
  for (const ref of findStorageReferences(template)) {
    renderInline(template.slice(last, ref.index));
    addDeferred({ kind: 'storage', path: renderStoragePath(ref.pathTemplate, ctx), placeholder: ref.text });
    last = ref.index + ref.text.length;
  }
  renderInline(template.slice(last));
  const display = pieces.map((p) => (p.kind === 'text' ? p.text : p.placeholder)).join('');
  return { display, pieces: deferred ? pieces : null };
}

type Deferring =
  { kind: 'missing' } | { kind: 'value'; value: unknown } | { kind: 'ref'; ref: OutputRef; rest: string[] };

/** Like `resolvePath`, but stops at an offloaded output and says what is left of the path. */
function resolveDeferring(path: string, ctx: TemplateContext): Deferring {
  const root = pathRoot(path, ctx);
  if (root.kind === 'missing') return { kind: 'missing' };
  if (root.kind === 'leaf') return { kind: 'value', value: root.value };
  const rest = root.rest;
  let current = root.value;
  for (let i = 0; i < rest.length; i++) {
    const ref = outputRefOf(current);
    if (ref) return { kind: 'ref', ref, rest: rest.slice(i) };
    const next = child(current, rest[i]!);
    if (!next.found) return { kind: 'missing' };
    current = next.value;
  }
  const ref = outputRefOf(current);
  return ref ? { kind: 'ref', ref, rest: [] } : { kind: 'value', value: current };
}

/** Walks a JSON value by path segments (the executor's half of a deferred `output` piece). */
export function walkJsonPath(value: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  let current = value;
  for (const segment of path) {
    const next = child(current, segment);
    if (!next.found) return { found: false, value: undefined };
    current = next.value;
  }
  return { found: true, value: current };
}
