"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.reject = exports.accept = void 0;
exports.envSpec = envSpec;
exports.got = got;
exports.maskUrlPassword = maskUrlPassword;
const accept = (value) => ({ ok: true, value });
exports.accept = accept;
const reject = (message) => ({ ok: false, message });
exports.reject = reject;
/**
 * Wraps a parser of set values with the shared unset rules. Defaults are trusted as written:
 * they are code, not operator input.
 */
function envSpec(options, parseSet) {
    return {
        parse(raw) {
            if (raw !== undefined)
                return parseSet(raw);
            if (options?.default !== undefined)
                return (0, exports.accept)(options.default);
            if (options?.optional)
                return (0, exports.accept)(undefined);
            return (0, exports.reject)('is required');
        },
    };
}
/** Quotes a rejected value for a message: URL passwords masked, very long values cut. */
function got(raw) {
    const shown = maskUrlPassword(raw);
    return `(got '${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}')`;
}
/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; anything else unchanged. */
function maskUrlPassword(value) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
        return value;
    try {
        const url = new URL(value);
        if (!url.password)
            return value;
        url.password = '***';
        return url.toString();
    }
    catch {
        return value;
    }
}
//# sourceMappingURL=env-spec.js.map