import { isModelApiRuntime, MAX_MODEL_CHAIN, type FieldProblem } from '@sandcastle/contracts';
import { didYouMean } from './did-you-mean.util';
import { readModelName } from './model-name.util';
import type { SectionReader } from './section-reader.util';
import type { StepDraft } from './step.parser';

/**
 * The operator's model registry as the parser sees it: the aliases it may name. The gateway
 * builds it from MODEL_REGISTRY_FILE; without it (offline tools) aliases are not checked.
 */
export interface ModelPolicy {
  aliases: readonly string[];
}

/** `models: [sonnet, gpt-4o]`: a fallback chain, each a model name, no repeats. */
export function readModelList(reader: SectionReader, key: string): string[] | undefined {
  const list = reader.stringList(key);
  if (list === undefined) return undefined;
  if (list.length === 0 || list.length > MAX_MODEL_CHAIN) {
    reader.report(key, `${reader.name(key)} must list 1 to ${MAX_MODEL_CHAIN} models`);
    return undefined;
  }
  const names: string[] = [];
  for (const entry of list) {
    const name = readModelName(reader, key, entry);
    if (name === undefined) return undefined;
    if (names.includes(name)) {
      reader.report(key, `${reader.name(key)} lists '${name}' twice`);
      return undefined;
    }
    names.push(name);
  }
  return names;
}

/** The chain a step's attempts try, in order. */
export function chainOf(step: { model: string; models?: string[] | undefined }): string[] {
  return step.models !== undefined && step.models.length > 0 ? step.models : [step.model];
}

/**
 * Checks that only model API steps list `models:`, that every model they may call is in the
 * registry ("did you mean"), and warns about settings those runtimes ignore. Problems refuse the
 * workflow; warnings are returned with it.
 */
export function checkModelChains(
  steps: readonly StepDraft[],
  policy: ModelPolicy | undefined,
  workflowMaxTurnsSet: boolean,
  problems: FieldProblem[],
  warnings: FieldProblem[],
): void {
  for (const step of steps) {
    const r = step.reader;
    if (!isModelApiRuntime(step.runtime)) {
      if (r.has('models')) {
        r.report('models', 'models (a fallback chain) needs runtime anthropic or openai');
      }
      // A workflow-wide chain only applies to model API steps; others run their first model.
      delete step.models;
      continue;
    }
    if (r.has('max_turns') || workflowMaxTurnsSet) {
      const where = r.has('max_turns') ? r.field('max_turns') : 'default_max_turns';
      warnings.push({
        field: where,
        message: `step '${step.id ?? step.index}': max_turns is ignored by the ${step.runtime} runtime (one model call per attempt)`,
      });
    }
    if (policy === undefined) continue;
    const key = r.has('models') ? 'models' : r.has('model') ? 'model' : null;
    const unknown = (name: string): string =>
      `unknown model '${name}': not in the operator's model registry${didYouMean(name, policy.aliases)}`;
    for (const name of chainOf(step)) {
      if (policy.aliases.includes(name)) continue;
      if (key === null) {
        problems.push({
          field: `steps[${step.index}].model`,
          message: `step '${step.id ?? step.index}': ${unknown(name)} (from the workflow's default_model or models)`,
        });
      } else {
        r.report(key, unknown(name));
      }
    }
    if (step.fallback !== null && !policy.aliases.includes(step.fallback.model)) {
      problems.push({
        field: `steps[${step.index}].fallback.model`,
        message: `step '${step.id ?? step.index}': ${unknown(step.fallback.model)}`,
      });
    }
  }
}

/**
 * Models of a stored definition (a jsonb snapshot) missing from the registry now: the gateway
 * refuses to run it, as it refuses endpoints the operator removed since it was saved.
 */
export function storedModelProblems(
  definition: Record<string, unknown>,
  policy: ModelPolicy,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const steps = Array.isArray(definition['steps']) ? (definition['steps'] as unknown[]) : [];
  const workflowRuntime = typeof definition['runtime'] === 'string' ? definition['runtime'] : null;
  steps.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null) return;
    const step = raw as {
      id?: unknown;
      runtime?: unknown;
      model?: unknown;
      models?: unknown;
      approval?: unknown;
    };
    if (step.approval !== undefined) return;
    const runtime = typeof step.runtime === 'string' ? step.runtime : workflowRuntime;
    if (!isModelApiRuntime(runtime)) return;
    const chain = Array.isArray(step.models) && step.models.length > 0 ? step.models : [step.model];
    for (const name of chain) {
      if (typeof name !== 'string' || policy.aliases.includes(name)) continue;
      const id = typeof step.id === 'string' ? step.id : String(index);
      problems.push({
        field: `steps[${index}].model`,
        message: `step '${id}': model '${name}' is no longer in the operator's model registry${didYouMean(name, policy.aliases)}`,
      });
    }
  });
  return problems;
}
