import { formatCost } from '../lib/format';

/** Spend against the run's budget: amber from 80 %, red at 100 %. */
export function BudgetBar({ spent, budget }: { spent: number; budget: number | null | undefined }) {
  if (!budget)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">Spent {formatCost(spent)} (no budget set)</p>
    );
  const ratio = spent / budget;
  const state = ratio >= 1 ? 'exceeded' : ratio >= 0.8 ? 'warning' : 'ok';
  const color = { ok: 'bg-emerald-500', warning: 'bg-amber-500', exceeded: 'bg-red-600' }[state];
  return (
    <div>
      <div className="mb-1 flex justify-between text-sm">
        <span>
          Budget {formatCost(spent)} of {formatCost(budget)}
        </span>
        <span
          data-testid="budget-state"
          className={state === 'ok' ? '' : 'font-semibold text-amber-700 dark:text-amber-300'}
        >
          {state === 'exceeded'
            ? 'budget exceeded'
            : state === 'warning'
              ? 'over 80 %'
              : `${Math.round(ratio * 100)} %`}
        </span>
      </div>
      <div
        className="h-2.5 rounded bg-slate-200 dark:bg-slate-800"
        role="progressbar"
        aria-label="budget used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.min(ratio, 1) * 100)}
      >
        <div className={`h-2.5 rounded ${color}`} style={{ width: `${Math.min(ratio, 1) * 100}%` }} />
      </div>
    </div>
  );
}
