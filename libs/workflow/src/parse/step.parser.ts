import type { FieldProblem } from '@sandcastle/contracts';
import { RUNTIME_KINDS } from '@sandcastle/contracts';
import type { StepDefinition } from '../definition';
import { readApproval, readStepType, reportApprovalKeysOnAgent } from './approval-step.parser';
import { readModelList } from './model-chain.parser';
import { readModel } from './model-name.util';
import { readOutputSchema } from './output-schema.util';
import { parseRetry } from './retry.parser';
import { describeValue, isRecord, SectionReader } from './section-reader.util';
import { mergeSimulation, parseSimulation } from './simulation.parser';
import {
  FALLBACK_KEYS,
  MISPLACED_STEP_KEYS,
  STEP_ID_PATTERN,
  STEP_KEYS,
  WORKFLOW_DEFAULTS,
  WORKFLOW_LIMITS,
} from './workflow-schema';

/** Workflow-level values a step inherits (already parsed, defaults applied). */
export type StepDefaults = Pick<
  StepDefinition,
  'model' | 'maxTurns' | 'timeout' | 'runtime' | 'simulation'
> & { models: string[] };

/**
 * A step as far as it could be read. `id` is null when missing or malformed (such a step takes
 * no part in graph checks); `reader` lets later checks report against the step's fields.
 */
export interface StepDraft extends Omit<StepDefinition, 'id'> {
  id: string | null;
  index: number;
  reader: SectionReader;
}

export function parseStep(
  raw: unknown,
  index: number,
  defaults: StepDefaults,
  problems: FieldProblem[],
): StepDraft | null {
  const path = `steps[${index}]`;
  if (!isRecord(raw)) {
    problems.push({
      field: path,
      message: `${path} must be a mapping with at least id and prompt, got ${describeValue(raw)}`,
    });
    return null;
  }
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : null;
  const reader = new SectionReader(raw, { path, owner: id ? `step '${id}'` : path, label: '' }, problems);
  reader.checkKeys(STEP_KEYS, MISPLACED_STEP_KEYS);
  if (readStepType(reader) === 'approval') return parseApprovalStep(reader, index, defaults);
  reportApprovalKeysOnAgent(reader);

  const { maxTurns, timeoutSeconds } = WORKFLOW_LIMITS;
  const parallelOver = reader.string('parallel_over') ?? null;
  const maxConcurrency = readMaxConcurrency(reader, parallelOver !== null);
  const model = readModel(reader, 'model');
  const ownModels = readModelList(reader, 'models');
  if (model !== undefined && ownModels !== undefined && ownModels[0] !== model) {
    reader.report(
      'models',
      'model and models disagree: with models, model (if given) must be its first entry',
    );
  }
  // step `models` → step `model` alone → workflow `models` → workflow `default_model`.
  const models = ownModels ?? (model !== undefined ? [] : defaults.models);
  const draft: StepDraft = {
    id: readStepId(reader),
    index,
    reader,
    prompt: reader.string('prompt', { required: true }) ?? '',
    dependsOn: [...new Set(reader.stringList('depends_on') ?? [])],
    model: models[0] ?? model ?? defaults.model,
    // Only written when there is a chain: snapshots of workflows without one stay as they were.
    ...(models.length > 0 ? { models } : {}),
    maxTurns: reader.integer('max_turns', maxTurns.min, maxTurns.max) ?? defaults.maxTurns,
    timeout: reader.integer('timeout', timeoutSeconds.min, timeoutSeconds.max) ?? defaults.timeout,
    parallelOver,
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
    outputSchema: readOutputSchema(reader),
    retry: parseRetry(reader),
    fallback: null,
    runtime: reader.oneOf('runtime', RUNTIME_KINDS) ?? defaults.runtime,
    simulation: mergeSimulation(defaults.simulation, parseSimulation(reader)),
  };
  draft.fallback = parseFallback(reader, draft.retry.onFailure === 'fallback');
  // Only present when written, so definitions without storage keep their exact shape.
  const storageWrite = reader.string('storage_write');
  if (storageWrite !== undefined) draft.storageWrite = storageWrite;
  const storageDefault = reader.string('storage_default', { allowEmpty: true });
  if (storageDefault !== undefined) draft.storageDefault = storageDefault;
  return draft;
}

/** A `type: approval` step: the message is its prompt template; no agent, model or retries. */
function parseApprovalStep(reader: SectionReader, index: number, defaults: StepDefaults): StepDraft {
  const dependsOn = [...new Set(reader.stringList('depends_on') ?? [])];
  const approval = readApproval(reader, dependsOn);
  return {
    id: readStepId(reader),
    index,
    reader,
    prompt: reader.string('message', { required: true }) ?? '',
    dependsOn,
    model: defaults.model,
    maxTurns: defaults.maxTurns,
    timeout: approval.timeoutSeconds ?? defaults.timeout,
    parallelOver: null,
    outputSchema: null,
    retry: parseRetry(reader),
    fallback: null,
    runtime: null,
    simulation: null,
    approval,
  };
}

/**
 * How many fan-out items may be queued or running at once: a budget or a failure then stops a
 * fan-out after at most this many in-flight items. Only meaningful with `parallel_over`.
 */
function readMaxConcurrency(reader: SectionReader, fanOut: boolean): number | undefined {
  if (!fanOut) {
    if (reader.has('max_concurrency')) {
      reader.report('max_concurrency', 'max_concurrency only applies to a step with parallel_over');
    }
    return undefined;
  }
  const { min, max } = WORKFLOW_LIMITS.maxConcurrency;
  return reader.integer('max_concurrency', min, max) ?? WORKFLOW_DEFAULTS.maxConcurrency;
}

function readStepId(reader: SectionReader): string | null {
  if (!reader.has('id')) {
    reader.report('id', 'id is required');
    return null;
  }
  const id = reader.string('id');
  if (id === undefined) return null;
  if (!STEP_ID_PATTERN.test(id) || id.length > WORKFLOW_LIMITS.stepIdLength) {
    reader.report(
      'id',
      `id '${id}' may only contain letters, digits, '_' and '-' (at most ${WORKFLOW_LIMITS.stepIdLength} characters)`,
    );
    return null;
  }
  return id;
}

/**
 * The fallback call made after the last failed attempt. Only used with retry.on_failure
 * fallback; then a prompt is required (the original silently skipped a fallback without one).
 */
function parseFallback(step: SectionReader, required: boolean): StepDefinition['fallback'] {
  const raw = step.mapping('fallback');
  if (raw === undefined) {
    if (required && !step.has('fallback')) {
      step.report('fallback', "retry.on_failure is 'fallback' but there is no fallback block with a prompt");
    }
    return null;
  }
  const reader = step.nested('fallback', raw);
  reader.checkKeys(FALLBACK_KEYS);
  const prompt = reader.string('prompt', { allowEmpty: true });
  const model = readModel(reader, 'model') ?? WORKFLOW_DEFAULTS.fallbackModel;
  if (prompt === undefined || prompt.trim() === '') {
    if (required && (prompt !== undefined || !reader.has('prompt'))) {
      reader.report('prompt', "retry.on_failure is 'fallback' but fallback.prompt is missing or empty");
    }
    return null;
  }
  return { prompt, model };
}
