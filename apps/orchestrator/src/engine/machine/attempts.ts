import { addCount, addUsd, type StepResult, type StepStarted } from '@sandcastle/contracts';
import { type StepRow } from '../run-state';
import { checkBudget } from './budget';
import type { MachineContext } from './context';
import { emitStep } from './events';
import { attemptFailed } from './failure-policy';
import { rowDone } from './fan-out';
import { advance } from './readiness';

/**
 * What executors report about an attempt: it started, or it finished (completed or failed, with
 * its cost). The engine has recorded the attempt before (step_attempts' unique key makes each
 * result apply once); a report that no longer matches the row only adds its cost.
 */

/**
 * Applies one attempt's result. A result that no longer matches the row (the run ended, or the
 * attempt was declared lost and retried) only adds its cost: the money was spent.
 */
export function applyResult(m: MachineContext, result: StepResult): 'applied' | 'stale' {
  const row = addCost(m, result);
  if (
    !row ||
    m.runIsOver ||
    row.attempt !== result.attempt ||
    (row.status !== 'queued' && row.status !== 'running')
  ) {
    return 'stale';
  }
  const step = m.stepDef(row.stepId);
  row.model = result.model;
  row.runtime = result.runtime;
  row.executorId = result.executorId;
  row.startedAt = new Date(result.startedAt);
  row.durationSeconds = Math.max(0, Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  row.deadlineAt = null;
  if (result.outcome === 'completed') {
    m.setStatus(row, 'completed');
    row.output = result.output ?? null;
    row.error = null;
    row.errorKind = null;
    row.completedAt = new Date(result.finishedAt);
    emitStep(m, row);
    rowDone(m, row);
  } else {
    row.error = result.error ?? 'attempt failed';
    row.errorKind = result.errorKind ?? 'runtime_error';
    attemptFailed(m, row, step);
  }
  if (checkBudget(m)) advance(m);
  return 'applied';
}

/**
 * The real result of an attempt the reconciler had declared lost (its synthetic record was
 * replaced once, see recordAttempts): the money was spent, so its cost and tokens count for the
 * step and the run, but the state moved on long ago and does not change.
 */
export function applyLateResult(m: MachineContext, result: StepResult): 'stale' {
  addCost(m, result);
  return 'stale';
}

/** Adds an attempt's cost and usage to the run and to its row; returns the row. */
function addCost(m: MachineContext, result: StepResult): StepRow | undefined {
  const row = m.row(result.stepId, result.itemIndex);
  const run = m.run;
  run.totalCostUsd = addUsd(run.totalCostUsd, result.costUsd);
  // Counters saturate at the integer column's maximum instead of making the row unstorable.
  run.totalInputTokens = addCount(run.totalInputTokens, result.usage.inputTokens);
  run.totalOutputTokens = addCount(run.totalOutputTokens, result.usage.outputTokens);
  m.touchRun();
  if (row) {
    row.costUsd = addUsd(row.costUsd, result.costUsd);
    row.inputTokens = addCount(row.inputTokens, result.usage.inputTokens);
    row.outputTokens = addCount(row.outputTokens, result.usage.outputTokens);
    row.numTurns = addCount(row.numTurns, result.numTurns);
    m.touch(row);
  }
  return row;
}

/** An executor began an attempt (or began it again after another executor died). */
export function applyStarted(m: MachineContext, msg: StepStarted): boolean {
  const row = m.row(msg.stepId, msg.itemIndex);
  if (!row || m.runIsOver || row.attempt !== msg.attempt) return false;
  if (row.status !== 'queued' && row.status !== 'running') return false;
  const firstStart = row.status === 'queued';
  const step = m.stepDef(row.stepId);
  m.setStatus(row, 'running');
  row.executorId = msg.executorId;
  row.runtime = msg.runtime;
  if (firstStart) row.startedAt = new Date(msg.startedAt);
  row.deadlineAt = new Date(m.now.getTime() + step.timeout * 1000 + m.settings.lostAttemptGraceMs);
  m.touch(row);
  if (firstStart) emitStep(m, row);
  return true;
}
