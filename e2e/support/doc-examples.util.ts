import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The runnable examples of README.md and docs/*.md (docs/contributing.md, "Docs that cannot
 * drift"): every `curl …` and `sandcastle …` / `npx sandcastle …` command line inside a fenced
 * code block, with what the doc says it answers.
 *
 *   curl -s localhost:8080/runs/<run_id>          # a trailing comment is fine
 *   # {"data":{"run_id":"…","status":"queued"},"error":null}   ← fields the answer must have
 *   curl -s … -X DELETE …                         # → 404   ← the status the doc promises
 *   curl -s … # not run by the docs test: <why>   ← skipped, with the reason in the doc
 *
 * A CLI example may be followed by its output: lines that do not start with `$` or `#`; each
 * must appear, in order, in the real output (`…` matches anything, numbers match any number).
 */
export interface DocExample {
  /** `README.md:31` */
  where: string;
  kind: 'curl' | 'cli';
  /** The command as the doc shows it (continuation lines joined), without its comment. */
  command: string;
  /** Set when the doc marks the example as not runnable in a test, with its reason. */
  skipReason?: string;
  /** `# → 404`: the HTTP status (curl) or exit code (CLI) the doc promises; else 2xx / 0. */
  expectedStatus?: number;
  /** The JSON the doc shows after the command (`"…"` = any value). */
  expectedJson?: unknown;
  /** A CLI transcript shown after the command. */
  expectedOutput?: string[];
}

const SKIP = /#\s*not run by the docs test:\s*(.+)$/;
const STATUS = /#\s*→\s*(\d{3}|exit \d+)\b/;
const COMMAND = /^\s*(?:\$\s+)?(curl\s|npx sandcastle\b|sandcastle\b)/;

/** The command part of a line: up to a ` #` comment that is not inside quotes. */
function stripComment(line: string): { code: string; comment: string } {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return { code: line.slice(0, i).trimEnd(), comment: line.slice(i) };
    }
  }
  return { code: line.trimEnd(), comment: '' };
}

export function extractExamples(markdown: string, file: string): DocExample[] {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock || !COMMAND.test(line)) continue;
    const start = i;
    let { code, comment } = stripComment(line.replace(/^\s*\$\s+/, ''));
    while (code.endsWith('\\') && i + 1 < lines.length) {
      const next = stripComment(lines[++i]!);
      code = `${code.slice(0, -1).trimEnd()} ${next.code.trim()}`;
      comment = next.comment || comment;
    }
    const example: DocExample = {
      where: `${file}:${start + 1}`,
      kind: /^\s*curl\s/.test(code) ? 'curl' : 'cli',
      command: code.trim(),
    };
    const skip = SKIP.exec(comment);
    if (skip) example.skipReason = skip[1]!.trim();
    const status = STATUS.exec(comment);
    if (status) example.expectedStatus = Number(status[1]!.replace('exit ', ''));
    // What follows: `# {json}` for curl, a transcript for the CLI.
    const output: string[] = [];
    while (i + 1 < lines.length && !/^\s*```/.test(lines[i + 1]!) && !COMMAND.test(lines[i + 1]!)) {
      const next = lines[++i]!;
      const json = /^\s*#\s*(\{.*\})\s*$/.exec(next);
      if (json) example.expectedJson = JSON.parse(json[1]!);
      else if (example.kind === 'cli' && next.trim() !== '' && !next.trim().startsWith('#'))
        output.push(next);
    }
    if (output.length > 0) example.expectedOutput = output;
    examples.push(example);
  }
  return examples;
}

/** The examples of README.md and every docs/*.md. */
export function repoExamples(repoRoot: string): DocExample[] {
  const files = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  return files.flatMap((file) =>
    extractExamples(readFileSync(join(repoRoot, file), 'utf8'), relative(repoRoot, join(repoRoot, file))),
  );
}

/** Whether `actual` has every field `expected` shows, with the same scalars (`"…"` = any value). */
export function fieldMismatches(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected === '…') return actual === undefined ? [`${path || '.'}: missing`] : [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    return expected.flatMap((item, index) => fieldMismatches(item, actual[index], `${path}[${index}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null)
      return [`${path || '.'}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) =>
      fieldMismatches(value, (actual as Record<string, unknown>)[key], `${path}.${key}`),
    );
  }
  return expected === actual
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** A transcript line as a pattern: `…` is anything, a number any number, spaces any spaces. */
export function transcriptPattern(line: string): RegExp {
  const parts = line.trim().split(/(…|\d+(?:\.\d+)?|\s+)/);
  const source = parts
    .map((part) => {
      if (part === '…') return '.*?';
      if (/^\d+(?:\.\d+)?$/.test(part)) return '\\d+(?:\\.\\d+)?';
      if (/^\s+$/.test(part)) return '\\s+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(source);
}
