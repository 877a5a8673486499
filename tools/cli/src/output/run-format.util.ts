import type { RunSummaryView, RunView, StepView, WorkflowSummaryView } from '@sandcastle/contracts';
import { formatDuration, formatTable, formatTime, formatUsd, formatValue, indent } from './format.util';

/** `data` of a `step` stream event (see docs/api.md, "Live stream"). */
export interface StepEventData {
  step_id: string;
  parallel_index: number | null;
  /** The step's own row of a fan-out step (its items have their own events). */
  fan_out?: boolean;
  status: string;
  attempt: number;
  error?: string | null;
  cost_usd?: number;
  next_attempt_at?: string;
}

/** `data` of a `budget` stream event. */
export interface BudgetEventData {
  total_cost_usd: number;
  max_cost_usd: number;
  ratio: number;
}

export function stepLabel(stepId: string, parallelIndex: number | null): string {
  return parallelIndex === null ? stepId : `${stepId}[${parallelIndex}]`;
}

/** One progress line per step event, e.g. `  ✓ scrape completed  $0.0120`. */
export function formatStepEvent(step: StepEventData): string {
  const label = `${stepLabel(step.step_id, step.parallel_index)}${step.fan_out ? ' (all items)' : ''}`;
  const attempt = step.attempt > 1 ? ` (attempt ${step.attempt})` : '';
  const error = step.error ? `: ${step.error}` : '';
  if (step.next_attempt_at) {
    return `  ↻ ${label} attempt ${step.attempt} failed${error}; retrying at ${formatTime(step.next_attempt_at)}`;
  }
  switch (step.status) {
    case 'completed':
      return `  ✓ ${label} completed${attempt}  ${formatUsd(step.cost_usd ?? 0)}`;
    case 'failed':
    case 'cancelled':
      return `  ✗ ${label} ${step.status}${attempt}${error}`;
    case 'skipped':
      return `  - ${label} skipped${error}`;
    case 'running':
      return `  ▸ ${label} running${attempt}`;
    default:
      return `  · ${label} ${step.status}${attempt}`;
  }
}

export function formatBudgetEvent(budget: BudgetEventData): string {
  const percent = Math.round(budget.ratio * 100);
  return `  ! budget: ${formatUsd(budget.total_cost_usd)} of ${formatUsd(budget.max_cost_usd)} spent (${percent}%)`;
}

/**
 * Outputs in the order of the run's steps (the workflow's order): the API's `outputs` object is
 * stored as jsonb, which orders keys by length, not as the workflow wrote them.
 */
function formatOutputs(run: RunView): string[] {
  const stepOrder = [...new Set(run.steps.map((s) => s.step_id))];
  const keys = Object.keys(run.outputs);
  const ordered = [
    ...stepOrder.filter((id) => keys.includes(id)),
    ...keys.filter((k) => !stepOrder.includes(k)),
  ];
  if (ordered.length === 0) return [];
  return ['outputs:', ...ordered.map((step) => `  ${step}:\n${indent(outputText(run, step), 4)}`)];
}

/** An output, or for one stored as an object (docs/storage.md) its size, link and preview. */
function outputText(run: RunView, step: string): string {
  const ref = run.output_refs?.[step];
  if (!ref) return formatValue(run.outputs[step]);
  return `(stored: ${ref.size} bytes, ${ref.content_type}, GET ${ref.url})\n${ref.preview}…`;
}

/** The end of a followed run: its outcome, cost and outputs. */
export function formatRunResult(run: RunView): string[] {
  const mark = run.status === 'completed' ? '✓' : '✗';
  const error = run.error ? `: ${run.error}` : '';
  return [
    `${mark} run ${run.run_id} ${run.status}${error}`,
    `  duration ${formatDuration(run.duration_seconds)}, total cost ${formatUsd(run.total_cost_usd)}` +
      (run.max_cost_usd ? ` (budget ${formatUsd(run.max_cost_usd)})` : ''),
    ...formatOutputs(run),
  ];
}

/** `sandcastle run-status`: the run, its steps and outputs. */
export function formatRunDetails(run: RunView): string[] {
  const fields: [string, string][] = [
    ['run', run.run_id],
    [
      'workflow',
      run.workflow_version === null ? run.workflow_name : `${run.workflow_name} (v${run.workflow_version})`,
    ],
    ['status', run.status],
    [
      'cost',
      `${formatUsd(run.total_cost_usd)}${run.max_cost_usd ? ` (budget ${formatUsd(run.max_cost_usd)})` : ''}`,
    ],
    ['created', formatTime(run.created_at)],
    ['started', formatTime(run.started_at)],
    ['completed', formatTime(run.completed_at)],
    ['duration', formatDuration(run.duration_seconds)],
  ];
  if (run.parent_run_id) {
    const from = run.replay_from_step ? ` from step ${run.replay_from_step}` : '';
    fields.push(['parent', `${run.parent_run_id} (${run.kind}${from})`]);
  }
  if (run.error) fields.push(['error', run.error]);
  const width = Math.max(...fields.map(([name]) => name.length));
  return [
    ...fields.map(([name, value]) => `${name.padEnd(width)}  ${value}`),
    ...(run.steps.length > 0 ? ['', ...formatSteps(run.steps)] : []),
    ...(Object.keys(run.outputs).length > 0 ? ['', ...formatOutputs(run)] : []),
  ];
}

function formatSteps(steps: readonly StepView[]): string[] {
  return formatTable(
    ['STEP', 'STATUS', 'ATTEMPT', 'COST', 'DURATION', 'MODEL'],
    steps.map((s) => [
      stepLabel(s.step_id, s.parallel_index),
      s.restored_from ? `${s.status} (restored)` : s.status,
      String(s.attempt),
      formatUsd(s.cost_usd),
      formatDuration(s.duration_seconds),
      s.model ?? '-',
    ]),
  );
}

/** `sandcastle runs`. */
export function formatRunList(runs: readonly RunSummaryView[], total: number | undefined): string[] {
  if (runs.length === 0) return ['no runs'];
  const table = formatTable(
    ['RUN', 'WORKFLOW', 'STATUS', 'COST', 'CREATED'],
    runs.map((r) => [
      r.run_id,
      r.workflow_name,
      r.status,
      formatUsd(r.total_cost_usd),
      formatTime(r.created_at),
    ]),
  );
  return total !== undefined && total > runs.length ? [...table, `(${runs.length} of ${total})`] : table;
}

/** `sandcastle workflows list`. */
export function formatWorkflowList(workflows: readonly WorkflowSummaryView[]): string[] {
  if (workflows.length === 0) return ['no workflows'];
  return formatTable(
    ['NAME', 'VERSION', 'STEPS', 'DESCRIPTION'],
    workflows.map((w) => [w.name, String(w.version), String(w.steps_count), w.description]),
  );
}
