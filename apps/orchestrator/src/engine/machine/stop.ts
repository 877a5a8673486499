import {
  boundedOutput,
  InvalidStoragePathError,
  isTerminalStepStatus,
  type RunStatus,
} from '@sandcastle/contracts';
import { dataKey } from '@sandcastle/storage';
import { renderStoragePath } from '@sandcastle/workflow';
import type { MachineContext } from './context';
import { emit } from './events';

/**
 * How a run ends: completed (every step done), failed (a step failed under `abort`, an approval
 * was rejected, on_complete could not be stored), cancelled (a user), or budget_exceeded (see
 * budget.ts). A stop cancels what has not finished and aborts what is in flight.
 */

/** A user stopped the run: nothing more is dispatched and in-flight attempts are aborted. */
export function cancel(m: MachineContext, reason: string): 'cancelled' | 'finished' {
  if (m.runIsOver) return 'finished';
  stopRun(m, 'cancelled', reason);
  return 'cancelled';
}

/**
 * The gateway records a cancel request on the run row (and sends a command that may come late or
 * never): a recorded request wins over whatever the machine was opened for, even a start.
 */
export function applyCancelRequest(m: MachineContext): void {
  if (m.run.cancelRequestedAt && !m.runIsOver) cancel(m, m.run.cancelReason ?? 'Cancelled by user');
}

export function failRun(m: MachineContext, error: string): void {
  stopRun(m, 'failed', error);
}

/** Ends a live run: unfinished rows are cancelled and in-flight attempts will be aborted. */
export function stopRun(m: MachineContext, status: RunStatus, error: string): void {
  let inFlight = false;
  for (const row of m.steps.values()) {
    if (!isTerminalStepStatus(row.status)) {
      if (row.status === 'queued' || row.status === 'running') inFlight = true;
      m.setStatus(row, 'cancelled');
      row.nextAttemptAt = null;
      row.deadlineAt = null;
      row.waitingSince = null;
      row.completedAt = m.now;
      m.touch(row);
    }
  }
  if (inFlight) {
    // The abort goes through the outbox like any message, written in this transaction: a crash
    // between commit and publish cannot leave it unsent (the relay sends it).
    m.effects.message({
      subject: m.settings.names.cancelControl(m.run.id),
      msgId: `stop:${m.run.id}`,
      payload: { runId: m.run.id, reason: error },
      kind: 'stop',
    });
  }
  finishRun(m, status, error);
}

/** All steps are done: complete the run, after naming where on_complete stores its outputs. */
export function complete(m: MachineContext): void {
  const template = m.run.definition.onComplete?.storagePath;
  let target: { key: string; path: string } | null = null;
  if (template) {
    try {
      const path = renderStoragePath(template, m.template());
      target = { key: dataKey(m.run.tenantId, path), path };
    } catch (err) {
      if (!(err instanceof InvalidStoragePathError)) throw err;
      finishRun(m, 'failed', `on_complete.storage_path: ${err.message} (STORAGE_PATH_INVALID)`);
      return;
    }
  }
  m.effects.completing(target);
  finishRun(m, 'completed', null);
}

/**
 * The engine could not store on_complete's outputs (after its retries): the run ends `failed`
 * with the reason instead, and the `completed` events of this transition are withdrawn.
 */
export function completionWriteFailed(m: MachineContext, reason: string): void {
  const target = m.effects.withdrawCompletion();
  if (target === null) return;
  finishRun(
    m,
    'failed',
    `on_complete.storage_path '${target.path}' could not be saved: ${reason} (STORAGE_ERROR)`,
  );
}

function finishRun(m: MachineContext, status: RunStatus, error: string | null): void {
  const run = m.run;
  run.status = status;
  run.error = error;
  run.completedAt = m.now;
  m.touchRun();
  m.effects.runEnded(status, error);
  emit(m, 'status', { run_id: run.id, status, error, total_cost_usd: run.totalCostUsd });
  emit(m, 'result', {
    run_id: run.id,
    workflow_name: run.workflowName,
    status,
    ...boundedOutputs(m),
    error,
    total_cost_usd: run.totalCostUsd,
    duration_seconds: run.startedAt ? (m.now.getTime() - run.startedAt.getTime()) / 1000 : null,
    completed_at: m.now.toISOString(),
  });
}

/** The run's outputs for the `result` event: as they are, or a marker when above the event budget. */
function boundedOutputs(m: MachineContext): Record<string, unknown> {
  const bounded = boundedOutput(m.run.outputs, m.limits.maxEventOutputBytes);
  if (!('output_truncated' in bounded)) return { outputs: m.run.outputs };
  // The full outputs are on the run (GET /runs/{id}); the event says how large they are.
  return { outputs: null, outputs_truncated: true, outputs_bytes: bounded.output_bytes };
}
