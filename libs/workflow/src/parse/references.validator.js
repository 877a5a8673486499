"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.validateReferences = validateReferences;
const step_graph_util_1 = require("../planning/step-graph.util");
const placeholder_util_1 = require("../templates/placeholder.util");
const did_you_mean_util_1 = require("./did-you-mean.util");
const FAN_OUT_KEYS = ['_item', '_index'];
/**
 * Checks what prompts, fallback prompts, `parallel_over` and `on_complete.storage_path` refer
 * to. A step may only read outputs of its (transitive) dependencies: anything else either does
 * not exist or may not have run yet, and the original then rendered the placeholder verbatim
 * into the prompt.
 */
function validateReferences(drafts, nodes, storagePath, problems) {
    const stepIds = new Set(nodes.map((n) => n.id));
    const ancestorsOf = (0, step_graph_util_1.ancestorLookup)(nodes);
    for (const draft of drafts) {
        // What this step may read: its known dependencies and everything they depend on. Computed
        // lazily because most steps of a large workflow refer to no other step at all.
        let available = null;
        const availableSteps = () => {
            if (available !== null)
                return available;
            const found = new Set();
            for (const dep of draft.dependsOn) {
                if (!stepIds.has(dep) || dep === draft.id)
                    continue;
                found.add(dep);
                for (const ancestor of ancestorsOf(dep))
                    found.add(ancestor);
            }
            if (draft.id !== null)
                found.delete(draft.id); // a cycle must not make a step its own input
            available = found;
            return found;
        };
        const scope = { stepIds, available: availableSteps, fanOut: draft.parallelOver !== null };
        const say = (key) => (message) => draft.reader.report(key, message);
        checkTemplate(draft.prompt, 'prompt', scope, say('prompt'));
        if (draft.fallback !== null) {
            checkTemplate(draft.fallback.prompt, 'fallback.prompt', scope, say('fallback.prompt'));
        }
        if (draft.parallelOver !== null)
            checkParallelOver(draft.parallelOver, scope, say('parallel_over'));
    }
    if (storagePath !== null) {
        const scope = { stepIds, available: () => stepIds, fanOut: false };
        checkTemplate(storagePath, 'on_complete.storage_path', scope, (message) => problems.push({ field: 'on_complete.storage_path', message }));
    }
}
function checkTemplate(text, where, scope, report) {
    for (const placeholder of (0, placeholder_util_1.findPlaceholders)(text)) {
        const [root, second, third] = placeholder.segments;
        const shown = placeholder.text;
        if (root === 'input' && second !== undefined && FAN_OUT_KEYS.includes(second) && !scope.fanOut) {
            report(`${where} uses ${shown}, which only exists in a step with parallel_over`);
        }
        if (root !== 'steps' || second === undefined)
            continue;
        const problem = stepReferenceProblem(second, scope);
        if (problem !== null)
            report(`${where} uses ${shown}: ${problem}`);
        else if (third !== 'output') {
            report(`${where} uses ${shown}: a step reference continues with .output, e.g. {steps.${second}.output}`);
        }
    }
}
function checkParallelOver(path, scope, report) {
    const trimmed = path.trim();
    if (trimmed.startsWith('{') || trimmed.endsWith('}')) {
        report(`parallel_over is a path without braces, e.g. '${trimmed.replace(/^\{|\}$/g, '')}'`);
        return;
    }
    const segments = path.split('.');
    const [root, second, third] = segments;
    if (segments.some((s) => s === '' || /[\s{}]/.test(s))) {
        report(`parallel_over '${path}' is not a dotted path such as input.items or steps.fetch.output.items`);
    }
    else if (root === 'input' && second !== undefined) {
        if (FAN_OUT_KEYS.includes(second))
            report(`parallel_over cannot use ${second}: it fans out over the run input`);
    }
    else if (root === 'steps' && second !== undefined) {
        const problem = stepReferenceProblem(second, scope);
        if (problem !== null)
            report(`parallel_over '${path}': ${problem}`);
        else if (third !== 'output') {
            report(`parallel_over '${path}' must continue with .output, e.g. steps.${second}.output.items`);
        }
    }
    else {
        report(`parallel_over '${path}' must start with input. or steps.<step id>.output`);
    }
}
function stepReferenceProblem(stepId, scope) {
    if (!scope.stepIds.has(stepId)) {
        return `there is no step '${stepId}'${(0, did_you_mean_util_1.didYouMean)(stepId, [...scope.stepIds])}`;
    }
    if (!scope.available().has(stepId)) {
        return `'${stepId}' is not among this step's dependencies, so its output would not exist yet (add it to depends_on)`;
    }
    return null;
}
//# sourceMappingURL=references.validator.js.map