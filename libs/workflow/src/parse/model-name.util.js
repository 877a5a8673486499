"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readModel = readModel;
const did_you_mean_util_1 = require("./did-you-mean.util");
const workflow_schema_1 = require("./workflow-schema");
/**
 * Models are passed to the runtime as written (an alias such as `sonnet`, or a full model id),
 * so any plausible name is accepted. What is caught: whitespace, absurd lengths, and near-misses
 * of an alias (`sonet`, `Haiku`) that the runtime would only reject mid-run.
 */
function readModel(reader, key) {
    const model = reader.string(key);
    if (model === undefined)
        return undefined;
    if (model.length > workflow_schema_1.WORKFLOW_LIMITS.modelLength || /\s/.test(model)) {
        reader.report(key, `${reader.name(key)} '${model.slice(0, 40)}' is not a model name (no spaces, at most ${workflow_schema_1.WORKFLOW_LIMITS.modelLength} characters)`);
        return undefined;
    }
    if (looksLikeMistypedAlias(model)) {
        reader.report(key, `unknown model '${model}'${(0, did_you_mean_util_1.didYouMean)(model.toLowerCase(), workflow_schema_1.MODEL_ALIASES)}`);
        return undefined;
    }
    return model;
}
function looksLikeMistypedAlias(model) {
    if (workflow_schema_1.MODEL_ALIASES.includes(model))
        return false;
    if (!/^[A-Za-z]+$/.test(model))
        return false; // ids like `claude-sonnet-4-5` or `gpt-4o` are fine
    const lower = model.toLowerCase();
    return workflow_schema_1.MODEL_ALIASES.some((alias) => (0, did_you_mean_util_1.editDistance)(lower, alias) <= 2);
}
//# sourceMappingURL=model-name.util.js.map