import { descendantsOf } from '@sandcastle/workflow';
import { newStepRow, type StepRow, byItemIndex } from '../run-state';
import type { MachineContext } from './context';
import { emitStep } from './events';

/** A replay's or fork's parent: its id and its step rows, read (without a lock) by the engine. */
export interface ParentRun {
  runId: string;
  rows: StepRow[];
}

/**
 * Time Machine: a replay or fork from step S runs S and everything depending on it again; every
 * other step the parent completed (or skipped) is copied from the parent, with its fan-out items,
 * at no cost, and is never dispatched. A step the parent never finished runs as usual.
 */
export function restore(m: MachineContext, parent: ParentRun, fromStep: string): void {
  const rerun = descendantsOf(m.run.definition, fromStep);
  rerun.add(fromStep);
  const byStep = new Map<string, StepRow[]>();
  for (const row of parent.rows) byStep.set(row.stepId, [...(byStep.get(row.stepId) ?? []), row]);
  for (const step of m.run.definition.steps) {
    if (rerun.has(step.id)) continue;
    const rows = byStep.get(step.id) ?? [];
    const parentStep = rows.find((r) => r.itemIndex === null);
    if (!parentStep || (parentStep.status !== 'completed' && parentStep.status !== 'skipped')) continue;
    for (const source of rows.sort(byItemIndex)) {
      const row = restoredRow(m, source, parent.runId);
      m.putRow(row);
      m.checkpoint(row);
      emitStep(m, row);
    }
    m.setOutput(step.id, parentStep.status === 'completed' ? parentStep.output : null);
  }
}

/** This run's copy of a parent's row: same outcome, restored now, marked with where it came from. */
function restoredRow(m: MachineContext, source: StepRow, parentRunId: string): StepRow {
  return {
    ...newStepRow(source.stepId, source.itemIndex),
    itemCount: source.itemCount,
    status: source.status,
    attempt: source.attempt,
    output: source.output,
    error: source.error,
    errorKind: source.errorKind,
    model: source.model,
    runtime: source.runtime,
    prompt: source.prompt,
    isFallback: source.isFallback,
    startedAt: m.now,
    completedAt: m.now,
    restoredFrom: parentRunId,
    // Replaces the row start() made; a stored row keeps its write counter (stale-write guard).
    rowVersion: m.row(source.stepId, source.itemIndex)?.rowVersion ?? -1,
  };
}
