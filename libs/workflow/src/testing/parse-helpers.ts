import type { FieldProblem } from '@sandcastle/contracts';
import type { WorkflowDefinition } from '../definition';
import { parseWorkflowObject, parseWorkflowYaml } from '../parse/workflow.parser';

/** Parses and expects success; fails the test with the problems otherwise. */
export function definitionOf(source: string | Record<string, unknown>): WorkflowDefinition {
  const result = typeof source === 'string' ? parseWorkflowYaml(source) : parseWorkflowObject(source);
  if (!result.ok)
    throw new Error(`expected a valid workflow, got:\n${JSON.stringify(result.problems, null, 2)}`);
  return result.definition;
}

/** Parses and expects failure; returns the problems. */
export function problemsOf(source: unknown): FieldProblem[] {
  const result = typeof source === 'string' ? parseWorkflowYaml(source) : parseWorkflowObject(source);
  if (result.ok) throw new Error('expected problems, but the workflow is valid');
  return result.problems;
}

/** A valid workflow object with the given steps (and top-level overrides) to mutate in tests. */
export function workflowWith(
  steps: Record<string, unknown>[],
  top: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name: 'Test', steps, ...top };
}
