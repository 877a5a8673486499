import type { RunSummary } from '../api/types';
import { formatCost, formatDuration, formatTime, shortId } from '../lib/format';
import { Link } from '../lib/router';
import { StatusBadge } from './ui';

function duration(run: RunSummary): number | null {
  if (!run.started_at) return null;
  const end = run.completed_at ? Date.parse(run.completed_at) : Date.now();
  return (end - Date.parse(run.started_at)) / 1000;
}

export function RunTable({ runs }: { runs: RunSummary[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
          <tr>
            <th className="p-2">Run</th>
            <th className="p-2">Workflow</th>
            <th className="p-2">Status</th>
            <th className="p-2">Started</th>
            <th className="p-2">Duration</th>
            <th className="p-2 text-right">Cost</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr
              key={run.run_id}
              className="border-t border-slate-200 dark:border-slate-800"
              data-testid="run-row"
            >
              <td className="p-2 font-mono">
                <Link to={`/runs/${run.run_id}`} className="text-blue-700 underline dark:text-blue-300">
                  {shortId(run.run_id)}
                </Link>
              </td>
              <td className="p-2">{run.workflow_name}</td>
              <td className="p-2">
                <StatusBadge status={run.status} />
              </td>
              <td className="p-2 whitespace-nowrap">{formatTime(run.created_at)}</td>
              <td className="p-2">{formatDuration(duration(run))}</td>
              <td className="p-2 text-right">{formatCost(run.total_cost_usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
