import type { TemplateContext } from './template-context';
/**
 * The elements a `parallel_over` step fans out over. As in the original, a value that is not a
 * list becomes a one-element list, and a missing value gives one element, null: the step still
 * runs once, and its prompt shows `null` where the item would be.
 */
export declare function fanOutItems(parallelOver: string, ctx: TemplateContext): unknown[];
/** The context of one fan-out element: the run input plus `_item` and `_index` (0-based). */
export declare function withFanOutItem(ctx: TemplateContext, item: unknown, index: number): TemplateContext;
