import type { StepView } from '../api/types';

/** One status per step for the graph: running wins, then failure, then the latest attempt. */
export function stepStatuses(steps: StepView[]): Record<string, string> {
  const grouped = new Map<string, StepView[]>();
  for (const s of steps) grouped.set(s.step_id, [...(grouped.get(s.step_id) ?? []), s]);
  const result: Record<string, string> = {};
  for (const [id, entries] of grouped) {
    // The latest attempt of each fan-out item decides that item.
    const latest = new Map<string, StepView>();
    for (const e of entries) {
      const key = String(e.parallel_index);
      const known = latest.get(key);
      if (!known || e.attempt >= known.attempt) latest.set(key, e);
    }
    const statuses = [...latest.values()].map((e) => e.status);
    const order = ['running', 'queued', 'failed', 'budget_exceeded', 'cancelled'];
    result[id] =
      order.find((s) => statuses.includes(s)) ??
      statuses.find((s) => s !== 'completed' && s !== 'skipped') ??
      statuses[0] ??
      'pending';
  }
  return result;
}
