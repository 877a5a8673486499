import type { TemplateContext } from './template-context';
export interface ResolvedPath {
    found: boolean;
    value: unknown;
}
/**
 * Resolves a dotted path against the context: `input.a.0`, `steps.fetch-leads.output.items`,
 * `run_id`, `date`. Objects are walked by own key, arrays by a decimal index. Anything that does
 * not exist is `{found: false}`; a value that exists but is null is `{found: true, value: null}`.
 */
export declare function resolvePath(path: string, ctx: TemplateContext): ResolvedPath;
/** How a resolved value is written into text: objects and lists as JSON, null as `null`. */
export declare function stringifyTemplateValue(value: unknown): string;
/**
 * Fills `{input.x}`, `{steps.ID.output.field}`, `{run_id}`, `{date}` (and inside fan-out
 * `{input._item}`, `{input._index}`). Placeholders that cannot be resolved stay unchanged, as
 * in the original, so a prompt never silently loses text.
 */
export declare function renderTemplate(template: string, ctx: TemplateContext): string;
