"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseStep = parseStep;
const contracts_1 = require("@sandcastle/contracts");
const model_name_util_1 = require("./model-name.util");
const output_schema_util_1 = require("./output-schema.util");
const retry_parser_1 = require("./retry.parser");
const section_reader_util_1 = require("./section-reader.util");
const simulation_parser_1 = require("./simulation.parser");
const workflow_schema_1 = require("./workflow-schema");
function parseStep(raw, index, defaults, problems) {
    const path = `steps[${index}]`;
    if (!(0, section_reader_util_1.isRecord)(raw)) {
        problems.push({
            field: path,
            message: `${path} must be a mapping with at least id and prompt, got ${(0, section_reader_util_1.describeValue)(raw)}`,
        });
        return null;
    }
    const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : null;
    const reader = new section_reader_util_1.SectionReader(raw, { path, owner: id ? `step '${id}'` : path, label: '' }, problems);
    reader.checkKeys(workflow_schema_1.STEP_KEYS, workflow_schema_1.MISPLACED_STEP_KEYS);
    const { maxTurns, timeoutSeconds } = workflow_schema_1.WORKFLOW_LIMITS;
    const draft = {
        id: readStepId(reader),
        index,
        reader,
        prompt: reader.string('prompt', { required: true }) ?? '',
        dependsOn: [...new Set(reader.stringList('depends_on') ?? [])],
        model: (0, model_name_util_1.readModel)(reader, 'model') ?? defaults.model,
        maxTurns: reader.integer('max_turns', maxTurns.min, maxTurns.max) ?? defaults.maxTurns,
        timeout: reader.integer('timeout', timeoutSeconds.min, timeoutSeconds.max) ?? defaults.timeout,
        parallelOver: reader.string('parallel_over') ?? null,
        outputSchema: (0, output_schema_util_1.readOutputSchema)(reader),
        retry: (0, retry_parser_1.parseRetry)(reader),
        fallback: null,
        runtime: reader.oneOf('runtime', contracts_1.RUNTIME_KINDS) ?? defaults.runtime,
        simulation: (0, simulation_parser_1.mergeSimulation)(defaults.simulation, (0, simulation_parser_1.parseSimulation)(reader)),
    };
    draft.fallback = parseFallback(reader, draft.retry.onFailure === 'fallback');
    return draft;
}
function readStepId(reader) {
    if (!reader.has('id')) {
        reader.report('id', 'id is required');
        return null;
    }
    const id = reader.string('id');
    if (id === undefined)
        return null;
    if (!workflow_schema_1.STEP_ID_PATTERN.test(id) || id.length > workflow_schema_1.WORKFLOW_LIMITS.stepIdLength) {
        reader.report('id', `id '${id}' may only contain letters, digits, '_' and '-' (at most ${workflow_schema_1.WORKFLOW_LIMITS.stepIdLength} characters)`);
        return null;
    }
    return id;
}
/**
 * The fallback call made after the last failed attempt. Only used with retry.on_failure
 * fallback; then a prompt is required (the original silently skipped a fallback without one).
 */
function parseFallback(step, required) {
    const raw = step.mapping('fallback');
    if (raw === undefined) {
        if (required && !step.has('fallback')) {
            step.report('fallback', "retry.on_failure is 'fallback' but there is no fallback block with a prompt");
        }
        return null;
    }
    const reader = step.nested('fallback', raw);
    reader.checkKeys(workflow_schema_1.FALLBACK_KEYS);
    const prompt = reader.string('prompt', { allowEmpty: true });
    const model = (0, model_name_util_1.readModel)(reader, 'model') ?? workflow_schema_1.WORKFLOW_DEFAULTS.fallbackModel;
    if (prompt === undefined || prompt.trim() === '') {
        if (required && (prompt !== undefined || !reader.has('prompt'))) {
            reader.report('prompt', "retry.on_failure is 'fallback' but fallback.prompt is missing or empty");
        }
        return null;
    }
    return { prompt, model };
}
//# sourceMappingURL=step.parser.js.map