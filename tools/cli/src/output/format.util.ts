import type { ApiError, ProblemDetail } from '../api/api-error';

/** Dollars with four decimals: step costs are often fractions of a cent. */
export function formatUsd(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `$${value.toFixed(4)}`;
}

/** `0.4s`, `12.0s`, `2m 05s`, `1h 02m`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** An API time (ISO-8601 UTC) as `2026-03-02 10:15:00Z`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return `${iso.replace('T', ' ').slice(0, 19)}Z`;
}

/** Columns padded to their widest cell (the last one is not padded), two spaces apart. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** A value as it should read in a terminal: strings as they are, anything else as JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'null');
}

/** Every line of `text` indented by `spaces`. */
export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/**
 * `CODE: message`, then one line per field problem, except a problem the message already says
 * (a 404's "did you mean" is in both: the message for people, `details` for programs).
 */
export function formatApiError(error: ApiError): string[] {
  const news = error.details.filter((problem) => !error.message.includes(problem.message));
  return [`${error.code}: ${error.message}`, ...formatProblems(news)];
}

export function formatProblems(problems: readonly ProblemDetail[]): string[] {
  return problems.map((p) => `  ${p.field === '' ? '(workflow)' : p.field}: ${p.message}`);
}
