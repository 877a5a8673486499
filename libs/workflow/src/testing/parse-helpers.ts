import type { FieldProblem } from '@sandcastle/contracts';
import type { WorkflowDefinition } from '../definition';
import { parseWorkflowObject, parseWorkflowYaml, type WorkflowSizeLimits } from '../parse/workflow.parser';

/** Parses and expects success; fails the test with the problems otherwise. */
export function definitionOf(
  source: string | Record<string, unknown>,
  limits?: WorkflowSizeLimits,
): WorkflowDefinition {
  const result =
    typeof source === 'string'
      ? parseWorkflowYaml(source, { limits })
      : parseWorkflowObject(source, { limits });
  if (!result.ok)
    throw new Error(`expected a valid workflow, got:\n${JSON.stringify(result.problems, null, 2)}`);
  return result.definition;
}

/** Parses and expects failure; returns the problems. */
export function problemsOf(source: unknown, limits?: WorkflowSizeLimits): FieldProblem[] {
  const result =
    typeof source === 'string'
      ? parseWorkflowYaml(source, { limits })
      : parseWorkflowObject(source, { limits });
  if (result.ok) throw new Error('expected problems, but the workflow is valid');
  return result.problems;
}

/** Limits raised far enough for the large-graph tests (which assert results, never time). */
export const RAISED_LIMITS: WorkflowSizeLimits = {
  MAX_WORKFLOW_STEPS: 10_000,
  MAX_WORKFLOW_BYTES: 16 * 1024 * 1024,
};

/** A valid workflow object with the given steps (and top-level overrides) to mutate in tests. */
export function workflowWith(
  steps: Record<string, unknown>[],
  top: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name: 'Test', steps, ...top };
}
