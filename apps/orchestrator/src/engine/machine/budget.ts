import type { MachineContext } from './context';
import { emit } from './events';
import { stopRun } from './stop';

/**
 * A run's budget (`max_cost_usd`, the smallest of the request's, the key's and the default): at
 * 80 % one warning event, at 100 % the run stops as `budget_exceeded`, outputs so far kept. It is
 * checked after every applied result, and again before any attempt is queued (parallel steps may
 * have spent it meanwhile).
 */

export function budgetSpent(m: MachineContext): boolean {
  const max = m.run.maxCostUsd;
  return max !== null && max > 0 && m.run.totalCostUsd >= max;
}

export function stopForBudget(m: MachineContext): void {
  const max = m.run.maxCostUsd ?? 0;
  m.effects.budgetStopped();
  stopRun(m, 'budget_exceeded', `Budget exceeded: $${m.run.totalCostUsd.toFixed(4)} >= $${max.toFixed(4)}`);
}

/** After every applied result: warns at 80 %, stops at 100 %. Returns whether the run may go on. */
export function checkBudget(m: MachineContext): boolean {
  const max = m.run.maxCostUsd;
  if (m.runIsOver || max === null || max <= 0) return true;
  const ratio = m.run.totalCostUsd / max;
  if (ratio >= 1) {
    stopForBudget(m);
    return false;
  }
  if (ratio >= 0.8 && !m.run.budgetWarned) {
    m.run.budgetWarned = true;
    m.touchRun();
    m.effects.budgetWarned();
    emit(m, 'budget', {
      run_id: m.run.id,
      total_cost_usd: m.run.totalCostUsd,
      max_cost_usd: max,
      ratio: Math.round(ratio * 10_000) / 10_000,
    });
  }
  return true;
}
