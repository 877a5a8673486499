"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isPlaceholderPath = isPlaceholderPath;
exports.findPlaceholders = findPlaceholders;
exports.replacePlaceholders = replacePlaceholders;
const BRACES = /\{([^{}]*)\}/g;
const PATH = /^(?:run_id|date|input(?:\.[^.\s{}]+)+|steps(?:\.[^.\s{}]+)+)$/;
function isPlaceholderPath(path) {
    return PATH.test(path);
}
function findPlaceholders(template) {
    const found = [];
    for (const match of template.matchAll(BRACES)) {
        const path = match[1] ?? '';
        if (!isPlaceholderPath(path))
            continue;
        found.push({ text: match[0], path, segments: path.split('.'), index: match.index });
    }
    return found;
}
/** Replaces every placeholder with what `replace` returns (null keeps the placeholder). */
function replacePlaceholders(template, replace) {
    // One pass: inserted values are never scanned again, so an input containing "{run_id}" stays as is.
    return template.replace(BRACES, (whole, path) => {
        if (!isPlaceholderPath(path))
            return whole;
        return replace(path) ?? whole;
    });
}
//# sourceMappingURL=placeholder.util.js.map