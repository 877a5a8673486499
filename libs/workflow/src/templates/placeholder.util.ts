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

const BRACES = /\{([^{}]*)\}/g;
const PATH = /^(?:run_id|date|input(?:\.[^.\s{}]+)+|steps(?:\.[^.\s{}]+)+)$/;

export function isPlaceholderPath(path: string): boolean {
  return PATH.test(path);
}

export function findPlaceholders(template: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of template.matchAll(BRACES)) {
    const path = match[1] ?? '';
    if (!isPlaceholderPath(path)) continue;
    found.push({ text: match[0], path, segments: path.split('.'), index: match.index });
  }
  return found;
}
