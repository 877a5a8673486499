import type { Attempt, StepView } from '../api/types';
import { formatDuration, text } from '../lib/format';

const BAR: Record<string, string> = {
  completed: 'bg-emerald-500',
  failed: 'bg-red-500',
  running: 'bg-blue-500 animate-pulse',
  budget_exceeded: 'bg-orange-500',
  cancelled: 'bg-slate-400',
};

/** One bar: an attempt of a step or fan-out item. */
export interface TimelineEntry {
  step_id: string;
  parallel_index: unknown;
  attempt: number;
  status: string;
  started_at: string | null;
  completed_at: string | null;
  duration_seconds: number | null;
}

/**
 * The bars of a run: every finished attempt from the history, plus the rows of the run view the
 * history does not have yet (attempts still running, or finished since the history was read).
 */
export function timelineEntries(rows: StepView[], history: Attempt[]): TimelineEntry[] {
  const key = (e: { step_id: string; parallel_index: unknown; attempt: number }) =>
    `${e.step_id}|${text(e.parallel_index)}|${e.attempt}`;
  const entries: TimelineEntry[] = history.map((a) => ({
    step_id: a.step_id,
    parallel_index: a.parallel_index,
    attempt: a.attempt,
    status: a.outcome,
    started_at: a.started_at,
    completed_at: a.finished_at,
    duration_seconds: null,
  }));
  const known = new Set(entries.map(key));
  for (const row of rows) if (!known.has(key(row))) entries.push(row);
  return entries;
}

/** Every attempt and fan-out item on one time axis, so parallel work shows side by side. */
export function Timeline({
  steps,
  runStart,
  runEnd,
  onSelect,
}: {
  steps: TimelineEntry[];
  runStart: string;
  runEnd: string | null;
  onSelect?: (id: string) => void;
}) {
  const start = Date.parse(runStart);
  const now = Date.now();
  const ends = steps.map((s) => (s.completed_at ? Date.parse(s.completed_at) : now));
  const end = Math.max(runEnd ? Date.parse(runEnd) : now, ...ends, start + 1000);
  const span = end - start;
  const rows = [...steps]
    .filter((s) => s.started_at)
    .sort((a, b) => Date.parse(a.started_at ?? '') - Date.parse(b.started_at ?? ''));
  if (rows.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No step has started yet.</p>;
  return (
    <div className="space-y-1" role="list" aria-label="timeline">
      {rows.map((s) => {
        const from = Date.parse(s.started_at ?? runStart);
        const to = s.completed_at ? Date.parse(s.completed_at) : now;
        const left = ((from - start) / span) * 100;
        const width = Math.max(((to - from) / span) * 100, 0.8);
        const label = `${s.step_id}${s.parallel_index !== null && s.parallel_index !== undefined ? `[${text(s.parallel_index)}]` : ''} #${s.attempt}`;
        return (
          <div
            key={`${s.step_id}-${text(s.parallel_index)}-${s.attempt}`}
            role="listitem"
            className="flex items-center gap-2 text-xs"
          >
            <button
              type="button"
              className="w-40 shrink-0 truncate text-left font-mono hover:underline"
              onClick={() => onSelect?.(s.step_id)}
            >
              {label}
            </button>
            <div className="relative h-4 flex-1 rounded bg-slate-100 dark:bg-slate-800">
              <div
                className={`absolute h-4 rounded ${BAR[s.status] ?? 'bg-amber-500'}`}
                style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                title={`${label}: ${s.status}, ${formatDuration(s.duration_seconds ?? (to - from) / 1000)}`}
              />
            </div>
            <span className="w-16 shrink-0 text-right text-slate-600 dark:text-slate-400">
              {formatDuration(s.duration_seconds ?? (to - from) / 1000)}
            </span>
          </div>
        );
      })}
    </div>
  );
}
