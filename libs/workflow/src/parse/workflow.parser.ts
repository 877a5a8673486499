import { DEFAULT_LIMITS, type Limits } from '@sandcastle/config';
import type { FieldProblem } from '@sandcastle/contracts';
import {
  findUnstorableText,
  isModelApiRuntime,
  isStorableString,
  jsonBytes,
  RUNTIME_KINDS,
  storableString,
  utf8Bytes,
} from '@sandcastle/contracts';
import { LineCounter, parseDocument } from 'yaml';
import { unclosedQuoteStart } from './unclosed-quote.util';
import type { StepDefinition, WorkflowDefinition } from '../definition';
import { validateGraph } from './graph.validator';
import { parseNotify, parseOnComplete, parseOnFailure } from './hooks.parser';
import { checkModelChains, readModelList, type ModelPolicy } from './model-chain.parser';
import { readModel } from './model-name.util';
import { validateReferences } from './references.validator';
import { describeValue, isRecord, SectionReader } from './section-reader.util';
import { parseSimulation } from './simulation.parser';
import { parseStep, type StepDraft } from './step.parser';
import { endpointProblems, type EndpointPolicy } from './endpoint-policy.util';
import { readSandstormUrlField } from './url-field.util';
import { WORKFLOW_DEFAULTS, WORKFLOW_KEYS, WORKFLOW_LIMITS } from './workflow-schema';

export type ParseResult =
  | {
      ok: true;
      definition: WorkflowDefinition;
      /** Settings that are valid but ignored (e.g. max_turns on a model API runtime). */
      warnings?: FieldProblem[];
    }
  | {
      ok: false;
      problems: FieldProblem[];
      /** Set when a size limit was breached (the problem carries `limit` and `actual`). */
      code?: 'WORKFLOW_TOO_LARGE';
    };

/** The limits the parser enforces; services pass their configured values (libs/config). */
export type WorkflowSizeLimits = Pick<Limits, 'MAX_WORKFLOW_STEPS' | 'MAX_WORKFLOW_BYTES'>;

function tooLarge(field: string, what: string, actual: number, limit: number, variable: string): ParseResult {
  return {
    ok: false,
    code: 'WORKFLOW_TOO_LARGE',
    problems: [
      { field, message: `${what} is ${actual}, above the limit of ${limit} (${variable})`, limit, actual },
    ],
  };
}

const UNSTORABLE = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';

export interface ParseOptions {
  /**
   * The operator's endpoints and `${VAR}` allow-list. The gateway always passes it; without it
   * (offline tools such as `sandcastle validate`) only the syntax of addresses is checked.
   */
  endpoints?: EndpointPolicy;
  /** Size limits (services pass their configured values from libs/config); defaults otherwise. */
  limits?: WorkflowSizeLimits;
  /** The operator's model registry; without it (offline tools) model aliases are not checked. */
  models?: ModelPolicy;
}

export interface ParseOptions {
  /**
   * The operator's endpoints and `${VAR}` allow-list. The gateway always passes it; without it
   * (offline tools such as `sandcastle validate`) only the syntax of addresses is checked.
   */
  endpoints?: EndpointPolicy;
}

/** Problems with the YAML text itself are reported against this field. */
export const YAML_FIELD = 'yaml';

/**
 * YAML text → validated definition. Never throws on bad input: syntax errors (with line and
 * column) and every problem of the content are returned together.
 */
export function parseWorkflowYaml(yamlText: string, options: ParseOptions = {}): ParseResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // Size first: nothing of an oversized document is parsed.
  const yamlBytes = utf8Bytes(yamlText);
  if (yamlBytes > limits.MAX_WORKFLOW_BYTES) {
    return tooLarge(
      YAML_FIELD,
      'the workflow YAML size in bytes',
      yamlBytes,
      limits.MAX_WORKFLOW_BYTES,
      'MAX_WORKFLOW_BYTES',
    );
  }
  if (!isStorableString(yamlText)) {
    return { ok: false, problems: [{ field: YAML_FIELD, message: UNSTORABLE }] };
  }
  const lines = new LineCounter();
  // `merge` lets steps share settings through `<<: *defaults`; `logLevel: 'error'` keeps warnings off the console ('silent' would also drop errors).
  const doc = parseDocument(yamlText, {
    lineCounter: lines,
    prettyErrors: false,
    merge: true,
    logLevel: 'error',
  });
  const problems: FieldProblem[] = [...doc.errors, ...doc.warnings].map((error) => {
    // An unclosed quote is reported where the parser gave up (the end of the file); point at
    // the quote that opened it instead, which is where the author has to look.
    const opened = error.code === 'MISSING_CHAR' ? unclosedQuoteStart(yamlText) : undefined;
    if (opened !== undefined) {
      const { line, col } = lines.linePos(opened);
      const quote = yamlText[opened];
      return {
        field: YAML_FIELD,
        message: `YAML error at line ${line}, column ${col}: the ${quote} quote opened here is never closed`,
      };
    }
    const { line, col } = lines.linePos(error.pos[0]);
    return { field: YAML_FIELD, message: `YAML error at line ${line}, column ${col}: ${error.message}` };
  });
  if (problems.length > 0) return { ok: false, problems };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Unresolvable or excessive aliases only surface when the document is converted.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ field: YAML_FIELD, message: `YAML error: ${message}` }] };
  }
  return parseWorkflowObject(raw, options);
}

/** The same checks on an already parsed value (e.g. a workflow sent as JSON). */
export function parseWorkflowObject(raw: unknown, options: ParseOptions = {}): ParseResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const breach = sizeBreach(raw, limits);
  if (breach !== null) return breach;
  // YAML's "\0" escape and JSON's "\u0000" both make strings PostgreSQL cannot store.
  const unstorable = findUnstorableText(raw);
  if (unstorable !== null) {
    return { ok: false, problems: [{ field: storableString(unstorable), message: UNSTORABLE }] };
  }
  const problems: FieldProblem[] = [];
  if (!isRecord(raw)) {
    const got = raw === null || raw === undefined ? 'an empty document' : describeValue(raw);
    return {
      ok: false,
      problems: [{ field: '', message: `a workflow must be a mapping of keys, got ${got}` }],
    };
  }
  const top = new SectionReader(raw, { path: '', owner: null, label: '' }, problems);
  top.checkKeys(WORKFLOW_KEYS);

  const title = readTitle(top);
  const { maxTurns, timeoutSeconds } = WORKFLOW_LIMITS;
  const base = {
    description: top.string('description', { allowEmpty: true }) ?? '',
    sandstormUrl: readSandstormUrlField(top, 'sandstorm_url'),
    runtime: top.oneOf('runtime', RUNTIME_KINDS) ?? null,
    defaultModel: readModel(top, 'default_model') ?? WORKFLOW_DEFAULTS.model,
    models: readModelList(top, 'models') ?? [],
    defaultMaxTurns:
      top.integer('default_max_turns', maxTurns.min, maxTurns.max) ?? WORKFLOW_DEFAULTS.maxTurns,
    defaultTimeout:
      top.integer('default_timeout', timeoutSeconds.min, timeoutSeconds.max) ??
      WORKFLOW_DEFAULTS.timeoutSeconds,
    simulation: parseSimulation(top),
    onComplete: parseOnComplete(top),
    onFailure: parseOnFailure(top),
    schedule: top.string('schedule') ?? null,
    notify: parseNotify(top),
  };

  const drafts = readSteps(top, {
    model: base.models[0] ?? base.defaultModel,
    models: base.models,
    maxTurns: base.defaultMaxTurns,
    timeout: base.defaultTimeout,
    runtime: base.runtime,
    simulation: base.simulation,
  });
  const nodes = validateGraph(drafts, problems);
  validateReferences(drafts, nodes, base.onComplete?.storagePath ?? null, problems);
  if (options.endpoints !== undefined) problems.push(...endpointProblems(base, options.endpoints));
  const warnings: FieldProblem[] = [];
  if (
    top.has('models') &&
    !isModelApiRuntime(base.runtime) &&
    !drafts.some((d) => isModelApiRuntime(d.runtime))
  ) {
    top.report('models', 'models (a fallback chain) needs runtime anthropic or openai');
  }
  checkModelChains(drafts, options.models, top.has('default_max_turns'), problems, warnings);

  if (problems.length > 0 || title === null) return { ok: false, problems };
  const { models, ...rest } = base;
  const definition = {
    title,
    ...rest,
    ...(models.length > 0 ? { models } : {}),
    steps: drafts.map(toStepDefinition),
  };
  return { ok: true, definition, warnings };
}

/**
 * The step count and the size of the definition (aliases expanded), checked before any graph
 * work so an oversized workflow is refused at once with the limit and the actual value.
 */
function sizeBreach(raw: unknown, limits: WorkflowSizeLimits): ParseResult | null {
  if (!isRecord(raw)) return null;
  const steps = raw['steps'];
  if (Array.isArray(steps) && steps.length > limits.MAX_WORKFLOW_STEPS) {
    return tooLarge(
      'steps',
      'the number of steps',
      steps.length,
      limits.MAX_WORKFLOW_STEPS,
      'MAX_WORKFLOW_STEPS',
    );
  }
  let bytes: number;
  try {
    bytes = jsonBytes(raw);
  } catch {
    // Only a value no YAML or JSON text can produce (a cycle, a BigInt) gets here.
    return { ok: false, problems: [{ field: '', message: 'the workflow is not a JSON-compatible value' }] };
  }
  if (bytes > limits.MAX_WORKFLOW_BYTES) {
    return tooLarge(
      '',
      'the parsed definition size in bytes (as JSON)',
      bytes,
      limits.MAX_WORKFLOW_BYTES,
      'MAX_WORKFLOW_BYTES',
    );
  }
  return null;
}

function readTitle(top: SectionReader): string | null {
  if (!top.has('name')) {
    top.report('name', 'name is required (a title such as "Lead Enrichment")');
    return null;
  }
  const name = top.string('name');
  if (name === undefined) return null;
  if (name.length > WORKFLOW_LIMITS.nameLength) {
    top.report('name', `name must be at most ${WORKFLOW_LIMITS.nameLength} characters`);
    return null;
  }
  return name.trim();
}

function readSteps(top: SectionReader, defaults: Parameters<typeof parseStep>[2]): StepDraft[] {
  if (!top.has('steps')) {
    top.report('steps', 'a workflow must have at least one step');
    return [];
  }
  const list = top.get('steps');
  if (!Array.isArray(list)) {
    top.report('steps', `steps must be a list of steps, got ${describeValue(list)}`);
    return [];
  }
  if (list.length === 0) top.report('steps', 'a workflow must have at least one step');
  return list
    .map((raw, index) => parseStep(raw, index, defaults, top.problems))
    .filter((draft): draft is StepDraft => draft !== null);
}

/** Only called when there are no problems, so every draft has a valid, unique id. */
function toStepDefinition(draft: StepDraft): StepDefinition {
  const { index: _index, reader: _reader, id, ...rest } = draft;
  return { id: id ?? '', ...rest };
}
