// Formatting for `npm run demo`: one line per step change, and a readable run summary.

const MARKS = {
  pending: '·',
  queued: '…',
  running: '▶',
  completed: '✓',
  failed: '✗',
  skipped: '↷',
  cancelled: '■',
};

/** `enrich` or `analyze[2]` for a fan-out item. */
export function stepKey(step) {
  return step.parallel_index === null || step.parallel_index === undefined
    ? step.step_id
    : `${step.step_id}[${step.parallel_index}]`;
}

export function formatCost(usd) {
  return `$${Number(usd ?? 0).toFixed(4)}`;
}

export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return '-';
  const value = Number(seconds);
  return value < 60 ? `${value.toFixed(2)} s` : `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
}

/** One progress line, e.g. `  ✓ scrape       completed  attempt 1  $0.0042  1.23 s  simulated  sonnet`. */
export function formatStepLine(step) {
  const parts = [
    `  ${MARKS[step.status] ?? '?'} ${stepKey(step).padEnd(18)}`,
    String(step.status).padEnd(10),
    `attempt ${step.attempt ?? 0}`,
  ];
  if (['completed', 'failed', 'skipped', 'cancelled'].includes(step.status)) {
    parts.push(formatCost(step.cost_usd), formatSeconds(step.duration_seconds));
  }
  if (step.runtime) parts.push(step.runtime);
  if (step.model) parts.push(step.model);
  if (step.restored_from) parts.push(`restored from ${step.restored_from}`);
  let line = parts.join('  ');
  if (step.error && step.status !== 'completed')
    line += `\n      error: ${truncateString(String(step.error), 300)}`;
  return line;
}

function truncateString(text, max) {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

/** Long strings and arrays shortened so one output cannot flood the terminal. */
function shorten(value, depth = 0) {
  if (typeof value === 'string') return truncateString(value, 240);
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map((item) => shorten(item, depth + 1));
    if (value.length > 8) items.push(`… ${value.length - 8} more items`);
    return items;
  }
  if (value && typeof value === 'object') {
    if (depth > 5) return '{…}';
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shorten(inner, depth + 1)]));
  }
  return value;
}

/** Pretty JSON, shortened, at most `maxLines` lines. */
export function formatOutputs(outputs, maxLines = 60) {
  const lines = JSON.stringify(shorten(outputs ?? {}), null, 2).split('\n');
  if (lines.length <= maxLines) return lines.join('\n');
  return [
    ...lines.slice(0, maxLines),
    `… (${lines.length - maxLines} more lines; GET /runs/{id} has it all)`,
  ].join('\n');
}

/** Run duration from the API, else from its timestamps. */
export function runSeconds(run) {
  if (typeof run.duration_seconds === 'number') return run.duration_seconds;
  if (run.started_at && run.completed_at) {
    return (Date.parse(run.completed_at) - Date.parse(run.started_at)) / 1000;
  }
  return null;
}
