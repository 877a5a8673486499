"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.YAML_FIELD = void 0;
exports.parseWorkflowYaml = parseWorkflowYaml;
exports.parseWorkflowObject = parseWorkflowObject;
const contracts_1 = require("@sandcastle/contracts");
const yaml_1 = require("yaml");
const graph_validator_1 = require("./graph.validator");
const hooks_parser_1 = require("./hooks.parser");
const model_name_util_1 = require("./model-name.util");
const references_validator_1 = require("./references.validator");
const section_reader_util_1 = require("./section-reader.util");
const simulation_parser_1 = require("./simulation.parser");
const step_parser_1 = require("./step.parser");
const url_field_util_1 = require("./url-field.util");
const workflow_schema_1 = require("./workflow-schema");
/** Problems with the YAML text itself are reported against this field. */
exports.YAML_FIELD = 'yaml';
/**
 * YAML text → validated definition. Never throws on bad input: syntax errors (with line and
 * column) and every problem of the content are returned together.
 */
function parseWorkflowYaml(yamlText) {
    const lines = new yaml_1.LineCounter();
    // `merge` lets steps share settings through `<<: *defaults`; `logLevel: 'error'` keeps warnings off the console ('silent' would also drop errors).
    const doc = (0, yaml_1.parseDocument)(yamlText, {
        lineCounter: lines,
        prettyErrors: false,
        merge: true,
        logLevel: 'error',
    });
    const problems = [...doc.errors, ...doc.warnings].map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { field: exports.YAML_FIELD, message: `YAML error at line ${line}, column ${col}: ${error.message}` };
    });
    if (problems.length > 0)
        return { ok: false, problems };
    let raw;
    try {
        raw = doc.toJS({ maxAliasCount: 100 });
    }
    catch (error) {
        // Unresolvable or excessive aliases only surface when the document is converted.
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, problems: [{ field: exports.YAML_FIELD, message: `YAML error: ${message}` }] };
    }
    return parseWorkflowObject(raw);
}
/** The same checks on an already parsed value (e.g. a workflow sent as JSON). */
function parseWorkflowObject(raw) {
    const problems = [];
    if (!(0, section_reader_util_1.isRecord)(raw)) {
        const got = raw === null || raw === undefined ? 'an empty document' : (0, section_reader_util_1.describeValue)(raw);
        return {
            ok: false,
            problems: [{ field: '', message: `a workflow must be a mapping of keys, got ${got}` }],
        };
    }
    const top = new section_reader_util_1.SectionReader(raw, { path: '', owner: null, label: '' }, problems);
    top.checkKeys(workflow_schema_1.WORKFLOW_KEYS);
    const title = readTitle(top);
    const { maxTurns, timeoutSeconds } = workflow_schema_1.WORKFLOW_LIMITS;
    const base = {
        description: top.string('description', { allowEmpty: true }) ?? '',
        sandstormUrl: (0, url_field_util_1.readUrlField)(top, 'sandstorm_url'),
        runtime: top.oneOf('runtime', contracts_1.RUNTIME_KINDS) ?? null,
        defaultModel: (0, model_name_util_1.readModel)(top, 'default_model') ?? workflow_schema_1.WORKFLOW_DEFAULTS.model,
        defaultMaxTurns: top.integer('default_max_turns', maxTurns.min, maxTurns.max) ?? workflow_schema_1.WORKFLOW_DEFAULTS.maxTurns,
        defaultTimeout: top.integer('default_timeout', timeoutSeconds.min, timeoutSeconds.max) ??
            workflow_schema_1.WORKFLOW_DEFAULTS.timeoutSeconds,
        simulation: (0, simulation_parser_1.parseSimulation)(top),
        onComplete: (0, hooks_parser_1.parseOnComplete)(top),
        onFailure: (0, hooks_parser_1.parseOnFailure)(top),
        schedule: top.string('schedule') ?? null,
    };
    const drafts = readSteps(top, {
        model: base.defaultModel,
        maxTurns: base.defaultMaxTurns,
        timeout: base.defaultTimeout,
        runtime: base.runtime,
        simulation: base.simulation,
    });
    const nodes = (0, graph_validator_1.validateGraph)(drafts, problems);
    (0, references_validator_1.validateReferences)(drafts, nodes, base.onComplete?.storagePath ?? null, problems);
    if (problems.length > 0 || title === null)
        return { ok: false, problems };
    return { ok: true, definition: { title, ...base, steps: drafts.map(toStepDefinition) } };
}
function readTitle(top) {
    if (!top.has('name')) {
        top.report('name', 'name is required (a title such as "Lead Enrichment")');
        return null;
    }
    const name = top.string('name');
    if (name === undefined)
        return null;
    if (name.length > workflow_schema_1.WORKFLOW_LIMITS.nameLength) {
        top.report('name', `name must be at most ${workflow_schema_1.WORKFLOW_LIMITS.nameLength} characters`);
        return null;
    }
    return name.trim();
}
function readSteps(top, defaults) {
    if (!top.has('steps')) {
        top.report('steps', 'a workflow must have at least one step');
        return [];
    }
    const list = top.get('steps');
    if (!Array.isArray(list)) {
        top.report('steps', `steps must be a list of steps, got ${(0, section_reader_util_1.describeValue)(list)}`);
        return [];
    }
    if (list.length === 0)
        top.report('steps', 'a workflow must have at least one step');
    return list
        .map((raw, index) => (0, step_parser_1.parseStep)(raw, index, defaults, top.problems))
        .filter((draft) => draft !== null);
}
/** Only called when there are no problems, so every draft has a valid, unique id. */
function toStepDefinition(draft) {
    const { index: _index, reader: _reader, id, ...rest } = draft;
    return { id: id ?? '', ...rest };
}
//# sourceMappingURL=workflow.parser.js.map