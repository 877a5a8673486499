"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseOnComplete = parseOnComplete;
exports.parseOnFailure = parseOnFailure;
const url_field_util_1 = require("./url-field.util");
const workflow_schema_1 = require("./workflow-schema");
/** `on_complete: {webhook, storage_path}`; the path's templates are checked with the steps. */
function parseOnComplete(workflow) {
    const raw = workflow.mapping('on_complete');
    if (raw === undefined)
        return null;
    const reader = workflow.nested('on_complete', raw);
    reader.checkKeys(workflow_schema_1.ON_COMPLETE_KEYS);
    const storagePath = reader.string('storage_path') ?? null;
    if (storagePath !== null && !isRelativeStoragePath(storagePath)) {
        reader.report('storage_path', `on_complete.storage_path must be a relative path without '..' segments, got '${storagePath}'`);
    }
    return { webhook: (0, url_field_util_1.readUrlField)(reader, 'webhook'), storagePath };
}
/** `on_failure: {dead_letter, webhook}` (the workflow-level one, not a step's retry.on_failure). */
function parseOnFailure(workflow) {
    const raw = workflow.mapping('on_failure');
    if (raw === undefined)
        return null;
    const reader = workflow.nested('on_failure', raw);
    reader.checkKeys(workflow_schema_1.ON_FAILURE_KEYS);
    return { deadLetter: reader.boolean('dead_letter') ?? false, webhook: (0, url_field_util_1.readUrlField)(reader, 'webhook') };
}
function isRelativeStoragePath(path) {
    if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path))
        return false;
    return !path.split(/[\\/]/).includes('..');
}
//# sourceMappingURL=hooks.parser.js.map