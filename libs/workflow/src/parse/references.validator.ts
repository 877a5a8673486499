import type { FieldProblem } from '@sandcastle/contracts';
import { reachability } from '../planning/reachability.util';
import type { GraphNode } from '../planning/step-graph.util';
import { findPlaceholders } from '../templates/placeholder.util';
import { findStorageReferences, storagePathTemplateProblem } from '../templates/storage-refs.util';
import { didYouMean } from './did-you-mean.util';
import type { StepDraft } from './step.parser';

/** What a template may refer to where it is used. */
interface TemplateScope {
  /** Every step id of the workflow. */
  stepIds: ReadonlySet<string>;
  /** Whether the output of `stepId` is certain to exist when the template is rendered. */
  canRead: (stepId: string) => boolean;
  /** Inside a `parallel_over` step, `{input._item}` / `{input._index}` exist. */
  fanOut: boolean;
}

const FAN_OUT_KEYS = ['_item', '_index'];

/**
 * Checks what prompts, fallback prompts, `parallel_over` and `on_complete.storage_path` refer
 * to. A step may only read outputs of its (transitive) dependencies: anything else either does
 * not exist or may not have run yet, and the original then rendered the placeholder verbatim
 * into the prompt.
 */
export function validateReferences(
  drafts: readonly StepDraft[],
  nodes: readonly GraphNode[],
  storagePath: string | null,
  problems: FieldProblem[],
): void {
  const stepIds = new Set(nodes.map((n) => n.id));
  // A step may read `target` when one of its dependencies is `target` or depends on it; the
  // ancestor sets behind the answer are computed once for the whole graph (reachability.util).
  const dependsOn = reachability(nodes);
  for (const draft of drafts) {
    const deps = draft.dependsOn.filter((dep) => stepIds.has(dep) && dep !== draft.id);
    const canRead = (target: string): boolean => {
      if (target === draft.id) return false; // a cycle must not make a step its own input
      if (deps.includes(target)) return true;
      return deps.some((dep) => dependsOn(dep, target));
    };
    const scope: TemplateScope = { stepIds, canRead, fanOut: draft.parallelOver !== null };
    const say = (key: string) => (message: string) => draft.reader.report(key, message);

    // An approval step's template is its `message`.
    const promptKey = draft.approval !== undefined ? 'message' : 'prompt';
    checkTemplate(draft.prompt, promptKey, scope, say(promptKey));
    checkStorageReferences(draft.prompt, promptKey, say(promptKey));
    if (draft.fallback !== null) {
      checkTemplate(draft.fallback.prompt, 'fallback.prompt', scope, say('fallback.prompt'));
      checkStorageReferences(draft.fallback.prompt, 'fallback.prompt', say('fallback.prompt'));
    }
    if (draft.storageWrite !== undefined) {
      checkTemplate(draft.storageWrite, 'storage_write', scope, say('storage_write'));
      const problem = storagePathTemplateProblem(draft.storageWrite);
      if (problem !== null) say('storage_write')(`storage_write: ${problem} (STORAGE_PATH_INVALID)`);
    }
    if (draft.parallelOver !== null) checkParallelOver(draft.parallelOver, scope, say('parallel_over'));
  }
  if (storagePath !== null) {
    const scope: TemplateScope = { stepIds, canRead: (id) => stepIds.has(id), fanOut: false };
    checkTemplate(storagePath, 'on_complete.storage_path', scope, (message) =>
      problems.push({ field: 'on_complete.storage_path', message }),
    );
  }
}

function checkTemplate(text: string, where: string, scope: TemplateScope, report: (m: string) => void): void {
  for (const placeholder of findPlaceholders(text)) {
    const [root, second, third] = placeholder.segments;
    const shown = placeholder.text;
    if (root === 'input' && second !== undefined && FAN_OUT_KEYS.includes(second) && !scope.fanOut) {
      report(`${where} uses ${shown}, which only exists in a step with parallel_over`);
    }
    if (root !== 'steps' || second === undefined) continue;
    const problem = stepReferenceProblem(second, scope);
    if (problem !== null) report(`${where} uses ${shown}: ${problem}`);
    else if (third !== 'output') {
      report(
        `${where} uses ${shown}: a step reference continues with .output, e.g. {steps.${second}.output}`,
      );
    }
  }
}

/** Every `{storage.PATH}` must be a safe relative path once its placeholders are filled. */
function checkStorageReferences(text: string, where: string, report: (m: string) => void): void {
  for (const ref of findStorageReferences(text)) {
    const problem = storagePathTemplateProblem(ref.pathTemplate);
    if (problem !== null) report(`${where} uses ${ref.text}: ${problem} (STORAGE_PATH_INVALID)`);
  }
}

function checkParallelOver(path: string, scope: TemplateScope, report: (m: string) => void): void {
  const trimmed = path.trim();
  if (trimmed.startsWith('{') || trimmed.endsWith('}')) {
    report(`parallel_over is a path without braces, e.g. '${trimmed.replace(/^\{|\}$/g, '')}'`);
    return;
  }
  const segments = path.split('.');
  const [root, second, third] = segments;
  if (segments.some((s) => s === '' || /[\s{}]/.test(s))) {
    report(`parallel_over '${path}' is not a dotted path such as input.items or steps.fetch.output.items`);
  } else if (root === 'input' && second !== undefined) {
    if (FAN_OUT_KEYS.includes(second))
      report(`parallel_over cannot use ${second}: it fans out over the run input`);
  } else if (root === 'steps' && second !== undefined) {
    const problem = stepReferenceProblem(second, scope);
    if (problem !== null) report(`parallel_over '${path}': ${problem}`);
    else if (third !== 'output') {
      report(`parallel_over '${path}' must continue with .output, e.g. steps.${second}.output.items`);
    }
  } else {
    report(`parallel_over '${path}' must start with input. or steps.<step id>.output`);
  }
}

function stepReferenceProblem(stepId: string, scope: TemplateScope): string | null {
  if (!scope.stepIds.has(stepId)) {
    return `there is no step '${stepId}'${didYouMean(stepId, [...scope.stepIds])}`;
  }
  if (!scope.canRead(stepId)) {
    return `'${stepId}' is not among this step's dependencies, so its output would not exist yet (add it to depends_on)`;
  }
  return null;
}
