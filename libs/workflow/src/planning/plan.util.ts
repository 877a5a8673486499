import type { WorkflowDefinition } from '../definition';
import { ancestorsOf, dependentsOf, findCycles } from './step-graph.util';

/**
 * Where a step stands for planning purposes. `done` covers every way a step can stop mattering
 * to its dependents: completed, skipped, or failed while the run carries on (its output is null).
 */
export type StepPhase = 'waiting' | 'active' | 'done';

/**
 * Steps that can start now: waiting (a step missing from `phases` counts as waiting) and every
 * one of their own dependencies done. There are no layers: a step never waits for an unrelated
 * slow sibling of its dependencies. Definition order, so dispatch order is predictable.
 */
export function readySteps(def: WorkflowDefinition, phases: ReadonlyMap<string, StepPhase>): string[] {
  return def.steps
    .filter((step) => (phases.get(step.id) ?? 'waiting') === 'waiting')
    .filter((step) => step.dependsOn.every((dep) => phases.get(dep) === 'done'))
    .map((step) => step.id);
}

/** Steps that depend on `stepId` directly or transitively (what a replay from it re-runs). */
export function descendantsOf(def: WorkflowDefinition, stepId: string): Set<string> {
  return dependentsOf(def.steps, stepId);
}

/** Steps `stepId` depends on directly or transitively (whose outputs it may read). */
export function dependenciesOf(def: WorkflowDefinition, stepId: string): Set<string> {
  return ancestorsOf(def.steps, stepId);
}

/**
 * All step ids, every step after its dependencies; among steps free to go next, the one defined
 * first. Throws on a definition that is not a DAG, which the parser never produces.
 */
export function topologicalOrder(def: WorkflowDefinition): string[] {
  const ids = new Set(def.steps.map((s) => s.id));
  const placed = new Set<string>();
  const result: string[] = [];
  while (result.length < def.steps.length) {
    const next = def.steps.find(
      (step) => !placed.has(step.id) && step.dependsOn.every((dep) => placed.has(dep) && ids.has(dep)),
    );
    if (next === undefined) {
      const cycles = findCycles(def.steps).map((c) => c.join(' -> '));
      const stuck = def.steps.filter((s) => !placed.has(s.id)).map((s) => s.id);
      throw new Error(
        `workflow is not a DAG: cannot order ${stuck.join(', ')}` +
          (cycles.length > 0 ? ` (cycle: ${cycles.join('; ')})` : ' (unknown or self dependencies)'),
      );
    }
    placed.add(next.id);
    result.push(next.id);
  }
  return result;
}
