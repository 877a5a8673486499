"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toLogLine = toLogLine;
/** An Error as JSON: name, message, stack, its own fields (`code`, `status`…) and its cause. */
function errorToJson(err) {
    return { ...err, name: err.name, message: err.message, stack: err.stack, cause: err.cause };
}
function replacer(seen) {
    return (_key, value) => {
        if (typeof value === 'bigint')
            return value.toString();
        const out = value instanceof Error ? errorToJson(value) : value;
        if (seen && typeof out === 'object' && out !== null) {
            if (seen.has(out))
                return '[Circular]';
            seen.add(out);
        }
        return out;
    };
}
/**
 * Serialises one log record to a single JSON line. Logging must never throw: circular values
 * are retried with a cycle-breaking replacer (which also collapses repeated references, an
 * acceptable loss for a log line); anything still unserialisable is replaced by a note.
 */
function toLogLine(record) {
    try {
        return JSON.stringify(record, replacer());
    }
    catch {
        try {
            return JSON.stringify(record, replacer(new WeakSet()));
        }
        catch (err) {
            const { time, level, service, msg } = record;
            return JSON.stringify({ time, level, service, msg, logError: String(err) });
        }
    }
}
//# sourceMappingURL=log-line.util.js.map