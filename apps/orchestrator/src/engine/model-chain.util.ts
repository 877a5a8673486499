import { isModelApiRuntime, type StepDispatch } from '@sandcastle/contracts';
import { chainOf, type StepDefinition, type WorkflowDefinition } from '@sandcastle/workflow';

/**
 * The `models` of a dispatch: a model API step's fallback chain, from its pinned definition.
 * A `fallback:` call runs its own single model; other runtimes take no chain.
 */
export function modelChainOf(
  step: StepDefinition,
  def: Pick<WorkflowDefinition, 'runtime'>,
  isFallback: boolean,
): Pick<StepDispatch, 'models'> {
  if (isFallback || !isModelApiRuntime(step.runtime ?? def.runtime)) return {};
  const chain = chainOf(step);
  return chain.length > 1 ? { models: chain } : {};
}
