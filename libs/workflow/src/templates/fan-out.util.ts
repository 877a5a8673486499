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
