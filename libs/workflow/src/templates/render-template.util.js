"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolvePath = resolvePath;
exports.stringifyTemplateValue = stringifyTemplateValue;
exports.renderTemplate = renderTemplate;
const placeholder_util_1 = require("./placeholder.util");
const NOT_FOUND = { found: false, value: undefined };
/**
 * Resolves a dotted path against the context: `input.a.0`, `steps.fetch-leads.output.items`,
 * `run_id`, `date`. Objects are walked by own key, arrays by a decimal index. Anything that does
 * not exist is `{found: false}`; a value that exists but is null is `{found: true, value: null}`.
 */
function resolvePath(path, ctx) {
    const [root = '', ...rest] = path.split('.');
    let current;
    switch (root) {
        case 'input':
            current = ctx.input;
            break;
        case 'steps':
            current = ctx.steps;
            break;
        case 'run_id':
            return rest.length === 0 ? { found: true, value: ctx.runId } : NOT_FOUND;
        case 'date':
            return rest.length === 0 ? { found: true, value: ctx.date } : NOT_FOUND;
        default:
            return NOT_FOUND;
    }
    for (const segment of rest) {
        const next = child(current, segment);
        if (!next.found)
            return NOT_FOUND;
        current = next.value;
    }
    return { found: true, value: current };
}
function child(container, segment) {
    if (Array.isArray(container)) {
        if (!/^(0|[1-9][0-9]*)$/.test(segment))
            return NOT_FOUND;
        const index = Number(segment);
        return index < container.length ? { found: true, value: container[index] } : NOT_FOUND;
    }
    if (typeof container === 'object' && container !== null) {
        // Own keys only: `{input.constructor}` must not reach into Object.prototype.
        if (!Object.prototype.hasOwnProperty.call(container, segment))
            return NOT_FOUND;
        const value = container[segment];
        return value === undefined ? NOT_FOUND : { found: true, value };
    }
    return NOT_FOUND;
}
/** How a resolved value is written into text: objects and lists as JSON, null as `null`. */
function stringifyTemplateValue(value) {
    if (value === null)
        return 'null';
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    // Objects and lists; JSON has nothing else (undefined or a function could only come from code).
    return JSON.stringify(value) ?? '';
}
/**
 * Fills `{input.x}`, `{steps.ID.output.field}`, `{run_id}`, `{date}` (and inside fan-out
 * `{input._item}`, `{input._index}`). Placeholders that cannot be resolved stay unchanged, as
 * in the original, so a prompt never silently loses text.
 */
function renderTemplate(template, ctx) {
    return (0, placeholder_util_1.replacePlaceholders)(template, (path) => {
        const resolved = resolvePath(path, ctx);
        return resolved.found ? stringifyTemplateValue(resolved.value) : null;
    });
}
//# sourceMappingURL=render-template.util.js.map