import type { RunStatus } from '@sandcastle/contracts';
import { readySteps, type StepPhase } from '@sandcastle/workflow';
import { holdsSlot, newStepRow } from '../run-state';
import { requestApproval } from './approvals';
import type { MachineContext } from './context';
import { queue, resumeWaiting } from './dispatch';
import { emit } from './events';
import { beginFanOut, fillFanOut } from './fan-out';
import { restore, type ParentRun } from './restore';
import { complete } from './stop';

/**
 * Readiness: which steps may begin, and beginning them. Steps start as soon as their own
 * dependencies are done (not layer by layer); `advance` runs after every change that can make a
 * step ready and repeats while steps finish at once (an empty fan-out, a limit breached), then
 * completes the run when every step is done.
 */

/**
 * queued → running: create a row per step and begin every step without dependencies. A replay or
 * fork first restores its parent's finished steps outside `replay_from_step` (see restore.ts).
 */
export function start(m: MachineContext, parent?: ParentRun): boolean {
  if (m.run.status !== 'queued') return false;
  m.run.status = 'running';
  m.run.startedAt = m.now;
  m.touchRun();
  for (const step of m.run.definition.steps) {
    if (!m.row(step.id)) {
      const row = newStepRow(step.id, null);
      m.putRow(row);
      m.touch(row);
    }
  }
  emit(m, 'status', { run_id: m.run.id, status: m.run.status, started_at: m.now.toISOString() });
  if (parent && m.run.replayFromStep) restore(m, parent, m.run.replayFromStep);
  advance(m);
  return true;
}

/** Starts every step whose dependencies are done, repeating while steps finish instantly. */
export function advance(m: MachineContext): void {
  if (m.runIsOver) return;
  // Attempts that already wait for a slot go before anything new of this run.
  resumeWaiting(m);
  for (;;) {
    if (m.runIsOver) return;
    const ready = readySteps(m.run.definition, phases(m));
    if (ready.length === 0) break;
    for (const stepId of ready) begin(m, stepId);
  }
  for (const step of m.run.definition.steps) {
    if (m.runIsOver) return;
    if (step.parallelOver && m.row(step.id)?.status === 'running') fillFanOut(m, step);
  }
  const rows = m.run.definition.steps.map((s) => m.stepRow(s.id));
  if (rows.every((r) => r.status === 'completed' || r.status === 'skipped' || r.status === 'failed')) {
    complete(m);
    return;
  }
  syncWaiting(m);
}

/** A ready step begins: an approval waits for a person, a fan-out gets its items, any other step is queued. */
function begin(m: MachineContext, stepId: string): void {
  // An earlier step of the same advance() may have ended the run (abort, budget).
  if (m.runIsOver) return;
  const step = m.stepDef(stepId);
  const row = m.stepRow(stepId);
  if (step.approval) requestApproval(m, row, step, step.approval);
  else if (step.parallelOver) beginFanOut(m, row, step);
  else queue(m, row, 1, false);
}

/** Where each step stands, for planning: done, waiting for its dependencies, or active. */
function phases(m: MachineContext): Map<string, StepPhase> {
  const phases = new Map<string, StepPhase>();
  for (const step of m.run.definition.steps) {
    const row = m.stepRow(step.id);
    // A failed step in a running run was dead-lettered (abort would have ended the run).
    if (row.status === 'completed' || row.status === 'skipped' || row.status === 'failed')
      phases.set(step.id, 'done');
    else if (row.status === 'pending' && row.attempt === 0 && row.itemCount === null)
      phases.set(step.id, 'waiting');
    else phases.set(step.id, 'active');
  }
  return phases;
}

/**
 * `waiting` while approvals wait and nothing else is in flight or due (so a run paused for a
 * person shows as such), `running` as soon as anything moves again.
 */
function syncWaiting(m: MachineContext): void {
  if (m.run.status !== 'running' && m.run.status !== 'waiting') return;
  let waiting = false;
  let active = false;
  for (const row of m.steps.values()) {
    if (row.status === 'waiting') waiting = true;
    else if (holdsSlot(row) || (row.status === 'pending' && (row.nextAttemptAt || row.waitingSince)))
      active = true;
  }
  const next: RunStatus = waiting && !active ? 'waiting' : 'running';
  if (next === m.run.status) return;
  m.run.status = next;
  m.touchRun();
  emit(m, 'status', { run_id: m.run.id, status: next });
}
