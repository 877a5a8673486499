import { MESSAGE_SCHEMA_VERSION, type EngineStepErrorKind, type StepResult } from '@sandcastle/contracts';
import { retryDelayMs, type StepDefinition } from '@sandcastle/workflow';
import { type StepRow } from '../run-state';
import type { MachineContext } from './context';
import { queue } from './dispatch';
import { emitStep } from './events';
import { rowDone } from './fan-out';
import { failRun } from './stop';

/**
 * What happens when an attempt fails: another try after the step's backoff (`retry`), then its
 * fallback prompt, and once nothing is left, the workflow's policy: park it in the dead letter
 * queue and go on (`on_failure.dead_letter`), fail the run (`abort`), or skip the step (null
 * output). Attempts that outlived their deadline are reported here as lost and fail the same way.
 */

/** An attempt failed: try again (now or after the backoff), fall back, or fail finally. */
export function attemptFailed(m: MachineContext, row: StepRow, step: StepDefinition): void {
  if (!row.isFallback && row.attempt < step.retry.maxAttempts) {
    m.effects.retryScheduled();
    const delay = retryDelayMs(step.retry, row.attempt);
    if (delay <= 0) {
      queue(m, row, row.attempt + 1, false);
    } else {
      m.setStatus(row, 'pending');
      row.nextAttemptAt = new Date(m.now.getTime() + delay);
      m.touch(row);
      emitStep(m, row);
    }
    return;
  }
  if (!row.isFallback && step.retry.onFailure === 'fallback' && step.fallback && step.fallback.prompt) {
    queue(m, row, row.attempt + 1, true);
    return;
  }
  finallyFailed(m, row, step);
}

/**
 * A limit the engine itself enforces (prompt size, fan-out size, storage path, message size)
 * stops the step or item before anything is dispatched. Retrying would breach it again, so it
 * fails at once and then goes the way any finally failed step goes, with the kind on the row.
 */
export function limitBreached(
  m: MachineContext,
  row: StepRow,
  kind: EngineStepErrorKind,
  error: string,
): void {
  row.error = error;
  row.errorKind = kind;
  row.nextAttemptAt = null;
  row.deadlineAt = null;
  finallyFailed(m, row, m.stepDef(row.stepId));
}

/** After the last attempt (and fallback) failed: dead letter, abort the run, or skip. */
function finallyFailed(m: MachineContext, row: StepRow, step: StepDefinition): void {
  row.completedAt = m.now;
  if (m.run.definition.onFailure?.deadLetter) {
    // The dead letter queue takes precedence over abort: the item is parked and the run goes on.
    m.setStatus(row, 'failed');
    row.output = null;
    m.touch(row);
    emitStep(m, row);
    m.effects.deadLetter({
      stepId: row.stepId,
      itemIndex: row.itemIndex,
      error: row.error ?? 'unknown error',
      attempts: row.attempt,
      inputData: retryInput(m, row),
    });
    rowDone(m, row);
    return;
  }
  if (step.retry.onFailure === 'abort') {
    m.setStatus(row, 'failed');
    m.touch(row);
    emitStep(m, row);
    const where = row.itemIndex === null ? '' : ` item ${row.itemIndex}`;
    failRun(m, `Step '${row.stepId}'${where} failed: ${row.error ?? 'unknown error'}`);
    return;
  }
  // `skip`, or a `fallback` whose fallback call failed too: the step yields null, the run goes on.
  m.setStatus(row, 'skipped');
  row.output = null;
  m.touch(row);
  emitStep(m, row);
  rowDone(m, row);
}

/** What a dead letter keeps to retry: the run input, plus the item for a fan-out item. */
function retryInput(m: MachineContext, row: StepRow): Record<string, unknown> {
  if (row.itemIndex === null) return m.run.inputData;
  return m.templateFor(row).input;
}

/** Retries whose backoff has elapsed are queued (the reconciler's retry sweep). */
export function dispatchDueRetries(m: MachineContext): number {
  if (m.runIsOver) return 0;
  let count = 0;
  for (const row of m.steps.values()) {
    if (row.status === 'pending' && row.nextAttemptAt && row.nextAttemptAt <= m.now) {
      queue(m, row, row.attempt + 1, row.isFallback);
      count++;
    }
  }
  return count;
}

/**
 * Attempts past their deadline (the executor died, or none took the dispatch): failed results
 * the engine records and applies like any other, so no run hangs forever.
 */
export function lostAttempts(m: MachineContext, executorId: string): StepResult[] {
  if (m.runIsOver) return [];
  const lost: StepResult[] = [];
  for (const row of m.steps.values()) {
    if ((row.status === 'queued' || row.status === 'running') && row.deadlineAt && row.deadlineAt < m.now) {
      lost.push(lostResult(m, row, executorId));
    }
  }
  return lost;
}

function lostResult(m: MachineContext, row: StepRow, executorId: string): StepResult {
  return {
    v: MESSAGE_SCHEMA_VERSION,
    tenantId: m.run.tenantId,
    runId: m.run.id,
    stepId: row.stepId,
    itemIndex: row.itemIndex,
    attempt: row.attempt,
    outcome: 'failed',
    output: null,
    error:
      row.status === 'queued'
        ? 'attempt lost: no executor started it before its deadline'
        : 'attempt lost: no result before its timeout plus grace period (executor died?)',
    errorKind: 'lost',
    costUsd: 0,
    usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    numTurns: 0,
    model: row.model ?? m.stepDef(row.stepId).model,
    runtime: row.runtime ?? 'simulated',
    startedAt: (row.startedAt ?? row.queuedAt ?? m.now).toISOString(),
    finishedAt: m.now.toISOString(),
    executorId,
  };
}
