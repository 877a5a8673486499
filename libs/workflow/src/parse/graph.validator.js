"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.validateGraph = validateGraph;
const step_graph_util_1 = require("../planning/step-graph.util");
const did_you_mean_util_1 = require("./did-you-mean.util");
/**
 * Checks the dependency graph: duplicate ids, unknown and self dependencies, cycles. Returns the
 * graph the later checks should use: first occurrence of each id, known dependencies only.
 */
function validateGraph(drafts, problems) {
    const firstIndex = new Map();
    for (const draft of drafts) {
        if (draft.id === null)
            continue;
        const earlier = firstIndex.get(draft.id);
        if (earlier === undefined)
            firstIndex.set(draft.id, draft.index);
        else
            draft.reader.report('id', `duplicate step id '${draft.id}' (already used by steps[${earlier}])`);
    }
    const ids = [...firstIndex.keys()];
    const nodes = [];
    for (const draft of drafts) {
        for (const dep of draft.dependsOn) {
            if (dep === draft.id)
                draft.reader.reportAbout('depends_on', 'depends on itself');
            else if (!firstIndex.has(dep)) {
                draft.reader.reportAbout('depends_on', `depends on unknown step '${dep}'${(0, did_you_mean_util_1.didYouMean)(dep, ids)}`);
            }
        }
        if (draft.id !== null && firstIndex.get(draft.id) === draft.index) {
            nodes.push({
                id: draft.id,
                dependsOn: draft.dependsOn.filter((d) => d !== draft.id && firstIndex.has(d)),
            });
        }
    }
    for (const cycle of (0, step_graph_util_1.findCycles)(nodes)) {
        const start = cycle[0] ?? '';
        problems.push({
            field: `steps[${firstIndex.get(start) ?? 0}].depends_on`,
            message: `cycle: ${cycle.join(' -> ')} (each step depends on the next)`,
        });
    }
    return nodes;
}
//# sourceMappingURL=graph.validator.js.map