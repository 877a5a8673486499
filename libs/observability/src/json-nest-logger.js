"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.JsonNestLogger = void 0;
const STACK = /\n[ \t]+at .+:\d+:\d+/;
const isStack = (value) => value === undefined || (typeof value === 'string' && STACK.test(value));
function isPlainObject(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
/**
 * Routes Nest's own logging (bootstrap, routes, exceptions) into the JSON logger, so a
 * service's output is JSON from the first line. Nest's trailing context argument becomes the
 * field `context`; `log` → info, `verbose` → debug, `fatal` → error with `fatal: true`.
 */
class JsonNestLogger {
    constructor(logger) {
        this.logger = logger;
    }
    log(message, ...params) {
        this.write('info', message, params, false);
    }
    warn(message, ...params) {
        this.write('warn', message, params, false);
    }
    debug(message, ...params) {
        this.write('debug', message, params, false);
    }
    verbose(message, ...params) {
        this.write('debug', message, params, false);
    }
    error(message, ...params) {
        this.write('error', message, params, true);
    }
    fatal(message, ...params) {
        this.write('error', message, params, true, { fatal: true });
    }
    /**
     * Nest's argument conventions: `(message, ...extra, context?)`, and for errors
     * `(message, stack?, context?)`, where a stack may be `undefined` (`err?.stack`).
     */
    write(level, message, params, hasStack, base = {}) {
        const rest = [...params];
        const fields = { ...base };
        if (hasStack && rest.length === 1 && isStack(rest[0])) {
            fields.stack = rest.pop();
        }
        else {
            if (typeof rest.at(-1) === 'string' && !(hasStack && isStack(rest.at(-1))))
                fields.context = rest.pop();
            if (hasStack && rest.length > 0 && (typeof rest.at(-1) === 'string' || rest.at(-1) === undefined)) {
                fields.stack = rest.pop();
            }
        }
        const extra = [];
        for (const param of rest) {
            if (isPlainObject(param))
                Object.assign(fields, param);
            else if (param instanceof Error)
                fields.err = param;
            else
                extra.push(param);
        }
        if (extra.length > 0)
            fields.params = extra;
        if (fields.stack === undefined)
            delete fields.stack;
        this.logger[level](this.messageText(message, fields), fields);
    }
    messageText(message, fields) {
        if (typeof message === 'string')
            return message;
        if (message instanceof Error) {
            fields.err = message;
            return message.message;
        }
        if (isPlainObject(message)) {
            Object.assign(fields, message);
            return typeof message.message === 'string' ? message.message : '';
        }
        return String(message);
    }
}
exports.JsonNestLogger = JsonNestLogger;
//# sourceMappingURL=json-nest-logger.js.map