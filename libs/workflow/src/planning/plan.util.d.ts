import type { WorkflowDefinition } from '../definition';
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
export declare function readySteps(def: WorkflowDefinition, phases: ReadonlyMap<string, StepPhase>): string[];
/** Steps that depend on `stepId` directly or transitively (what a replay from it re-runs). */
export declare function descendantsOf(def: WorkflowDefinition, stepId: string): Set<string>;
/** Steps `stepId` depends on directly or transitively (whose outputs it may read). */
export declare function dependenciesOf(def: WorkflowDefinition, stepId: string): Set<string>;
/**
 * All step ids, every step after its dependencies; among steps free to go next, the one defined
 * first. Throws on a definition that is not a DAG, which the parser never produces.
 */
export declare function topologicalOrder(def: WorkflowDefinition): string[];
