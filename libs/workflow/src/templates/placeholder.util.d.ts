/**
 * Finds `{...}` placeholders in a template. Only a brace pair whose content is a path starting
 * with `input.`, `steps.`, or exactly `run_id` / `date` counts: everything else (`{"a": 1}`,
 * `{storage.report.md}`, `{ input.x }`) is ordinary text and is left alone, so prompts can carry
 * literal JSON. Paths are split on `.` only, so step ids with `-` work.
 */
export interface Placeholder {
    /** The whole match including braces, e.g. `{steps.fetch.output.items}`. */
    text: string;
    /** The path inside the braces. */
    path: string;
    /** The path split on `.`. */
    segments: string[];
    index: number;
}
export declare function isPlaceholderPath(path: string): boolean;
export declare function findPlaceholders(template: string): Placeholder[];
/** Replaces every placeholder with what `replace` returns (null keeps the placeholder). */
export declare function replacePlaceholders(template: string, replace: (path: string) => string | null): string;
