import { findUnstorableText, storableString, type FieldProblem } from '@sandcastle/contracts';
import type { StepDefinition, WorkflowDefinition } from '../definition';
import { didYouMean } from '../parse/did-you-mean.util';
import { readModel } from '../parse/model-name.util';
import { readOutputSchema } from '../parse/output-schema.util';
import { validateReferences } from '../parse/references.validator';
import { isRecord, SectionReader } from '../parse/section-reader.util';
import type { StepDraft } from '../parse/step.parser';
import { WORKFLOW_LIMITS } from '../parse/workflow-schema';

/** What a fork may change on its `from_step` (the API's snake_case names). */
export const STEP_CHANGE_KEYS = ['prompt', 'model', 'max_turns', 'timeout', 'output_schema'] as const;

export interface StepChanges {
  prompt?: string;
  model?: string;
  max_turns?: number;
  timeout?: number;
  output_schema?: Record<string, unknown>;
}

export type ApplyStepChangesResult =
  { ok: true; definition: WorkflowDefinition } | { ok: false; problems: FieldProblem[] };

/** Problems are reported against `changes.<key>`, as the client sent them. */
const CHANGES_FIELD = 'changes';

/**
 * A fork's definition: `def` with `changes` applied to step `stepId`, checked by the same rules
 * the parser applies to a step (model names, bounds, output_schema as a JSON Schema mapping, and
 * a prompt may only refer to the step's own dependencies). Each change stands on its own — the
 * original only honoured max_turns/timeout together with a prompt or model, and silently ignored
 * output_schema. Pure: `def` is not modified; every problem is reported at once.
 */
export function applyStepChanges(
  def: WorkflowDefinition,
  stepId: string,
  changes: StepChanges,
): ApplyStepChangesResult {
  const step = def.steps.find((s) => s.id === stepId);
  if (step === undefined) {
    const ids = def.steps.map((s) => s.id);
    return {
      ok: false,
      problems: [{ field: 'from_step', message: `there is no step '${stepId}'${didYouMean(stepId, ids)}` }],
    };
  }
  const raw: unknown = changes;
  if (!isRecord(raw)) {
    return { ok: false, problems: [{ field: CHANGES_FIELD, message: 'changes must be a mapping' }] };
  }

  const unstorable = findUnstorableText(raw, CHANGES_FIELD);
  if (unstorable !== null) {
    const message = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';
    return { ok: false, problems: [{ field: storableString(unstorable), message }] };
  }
  const problems: FieldProblem[] = [];
  const reader = new SectionReader(
    raw,
    { path: CHANGES_FIELD, owner: `step '${stepId}'`, label: CHANGES_FIELD },
    problems,
  );
  reader.checkKeys(STEP_CHANGE_KEYS);
  if (!STEP_CHANGE_KEYS.some((key) => reader.has(key))) {
    reader.report(null, `changes must set at least one of ${STEP_CHANGE_KEYS.join(', ')}`);
  }
  const { maxTurns, timeoutSeconds } = WORKFLOW_LIMITS;
  const prompt = reader.string('prompt');
  const model = readModel(reader, 'model');
  const maxTurnsValue = reader.integer('max_turns', maxTurns.min, maxTurns.max);
  const timeout = reader.integer('timeout', timeoutSeconds.min, timeoutSeconds.max);
  const outputSchema = readOutputSchema(reader);
  if (prompt !== undefined) checkPrompt(def, step, prompt, reader, problems);
  if (problems.length > 0) return { ok: false, problems };

  const changed: StepDefinition = {
    ...step,
    ...(prompt !== undefined ? { prompt } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(maxTurnsValue !== undefined ? { maxTurns: maxTurnsValue } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(outputSchema !== null ? { outputSchema } : {}),
  };
  return { ok: true, definition: { ...def, steps: def.steps.map((s) => (s.id === stepId ? changed : s)) } };
}

/**
 * Runs the parser's reference check on the new prompt alone: the step keeps its dependencies and
 * fan-out, so what the prompt may read is exactly what the original step could read. The
 * fallback prompt and parallel_over are unchanged (and were valid), so they are left out.
 */
function checkPrompt(
  def: WorkflowDefinition,
  step: StepDefinition,
  prompt: string,
  reader: SectionReader,
  problems: FieldProblem[],
): void {
  const draft: StepDraft = {
    ...step,
    index: def.steps.indexOf(step),
    reader,
    prompt,
    fallback: null,
  };
  const nodes = def.steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn }));
  validateReferences([draft], nodes, null, problems);
}
