"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.suggestClosest = suggestClosest;
exports.didYouMean = didYouMean;
exports.editDistance = editDistance;
/**
 * "Did you mean" hints for misspelled keys, step ids and model aliases. A hint is only given
 * when it is likely right: a wrong hint is worse than none, so the distance allowed grows
 * slowly with the length of the word.
 */
function suggestClosest(word, candidates) {
    const normalised = toSnakeCase(word);
    let best = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
        if (candidate === normalised)
            return candidate; // `dependsOn`, `Depends_On` → depends_on
        const distance = editDistance(normalised, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    if (best !== null && bestDistance <= allowedDistance(best))
        return best;
    // `timeout_seconds` → timeout, `parallel` → parallel_over: one is a prefix of the other.
    const byPrefix = candidates.find((c) => Math.min(c.length, normalised.length) >= 4 && (c.startsWith(normalised) || normalised.startsWith(c)));
    return byPrefix ?? null;
}
/** ` (did you mean 'x'?)` or an empty string, ready to append to a message. */
function didYouMean(word, candidates) {
    const suggestion = suggestClosest(word, candidates);
    return suggestion === null ? '' : ` (did you mean '${suggestion}'?)`;
}
function allowedDistance(candidate) {
    // Very short words ('a', 'id') are one edit away from too much to hint at anything.
    if (candidate.length < 3)
        return 0;
    return Math.max(1, Math.min(3, Math.floor(candidate.length / 3)));
}
function toSnakeCase(word) {
    return word
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[\s-]+/g, '_')
        .toLowerCase();
}
/** Levenshtein distance with adjacent transpositions counted as one edit ("on_faliure"). */
function editDistance(a, b) {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    const at = (i, j) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
    for (let i = 1; i < rows; i++) {
        const row = d[i];
        if (row === undefined)
            continue;
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                value = Math.min(value, at(i - 2, j - 2) + 1);
            }
            row[j] = value;
        }
    }
    return at(a.length, b.length);
}
//# sourceMappingURL=did-you-mean.util.js.map