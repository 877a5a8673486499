import { outputRefOf } from '@sandcastle/contracts';
import { resolvePath } from './render-template.util';
import type { TemplateContext } from './template-context';

/**
 * The elements a `parallel_over` step fans out over. As in the original, a value that is not a
 * list becomes a one-element list, and a missing value gives one element, null: the step still
 * runs once, and its prompt shows `null` where the item would be.
 */
export function fanOutItems(parallelOver: string, ctx: TemplateContext): readonly unknown[] {
  const resolved = resolvePath(parallelOver, ctx);
  if (!resolved.found) return [null];
  // The list itself, not a copy: a caller computes it once per transition and indexes into it
  // per item, so 1,000 items cost one lookup, not 1,000 copies of the list.
  return Array.isArray(resolved.value) ? (resolved.value as readonly unknown[]) : [resolved.value];
}

/** The context of one fan-out element: the run input plus `_item` and `_index` (0-based). */
export function withFanOutItem(ctx: TemplateContext, item: unknown, index: number): TemplateContext {
  return { ...ctx, input: { ...ctx.input, _item: item, _index: index } };
}

/**
 * True when `parallel_over` reaches an output stored as an object (above the inline limit,
 * docs/storage.md): the orchestrator never loads objects, so it cannot fan out over one; the step
 * fails with a clear error instead of running once over a reference.
 */
export function fanOutReadsOffloaded(parallelOver: string, ctx: TemplateContext): boolean {
  const segments = parallelOver.split('.');
  for (let end = 1; end <= segments.length; end++) {
    const resolved = resolvePath(segments.slice(0, end).join('.'), ctx);
    if (!resolved.found) return false;
    if (outputRefOf(resolved.value) !== null) return true;
  }
  return false;
}
