"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseSimulation = parseSimulation;
exports.mergeSimulation = mergeSimulation;
const workflow_schema_1 = require("./workflow-schema");
/** `simulation: {latency_ms, cost_usd, failure_rate}` → camelCase; null when absent. */
function parseSimulation(owner) {
    const raw = owner.mapping('simulation');
    if (raw === undefined)
        return null;
    const reader = owner.nested('simulation', raw);
    reader.checkKeys(workflow_schema_1.SIMULATION_KEYS);
    const { latencyMs, costUsd, failureRate } = workflow_schema_1.WORKFLOW_LIMITS;
    const result = {};
    const latency = reader.integer('latency_ms', latencyMs.min, latencyMs.max);
    const cost = reader.number('cost_usd', costUsd.min, costUsd.max);
    const rate = reader.number('failure_rate', failureRate.min, failureRate.max);
    if (latency !== undefined)
        result.latencyMs = latency;
    if (cost !== undefined)
        result.costUsd = cost;
    if (rate !== undefined)
        result.failureRate = rate;
    return result;
}
/** A step's settings win field by field over the workflow's; null when neither has any. */
function mergeSimulation(workflow, step) {
    if (workflow === null && step === null)
        return null;
    return { ...(workflow ?? {}), ...(step ?? {}) };
}
//# sourceMappingURL=simulation.parser.js.map