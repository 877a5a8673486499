"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LOG_LEVELS = void 0;
exports.createLogger = createLogger;
const log_line_util_1 = require("./log-line.util");
exports.LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
const RANK = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED = new Set(['time', 'level', 'service', 'msg']);
const stdoutSink = (line) => {
    process.stdout.write(`${line}\n`);
};
class JsonLogger {
    constructor(service, minRank, sink, bound) {
        this.service = service;
        this.minRank = minRank;
        this.sink = sink;
        this.bound = bound;
    }
    debug(msg, fields) {
        this.write('debug', msg, fields);
    }
    info(msg, fields) {
        this.write('info', msg, fields);
    }
    warn(msg, fields) {
        this.write('warn', msg, fields);
    }
    error(msg, fields) {
        this.write('error', msg, fields);
    }
    child(fields) {
        return new JsonLogger(this.service, this.minRank, this.sink, { ...this.bound, ...fields });
    }
    write(level, msg, fields) {
        if (RANK[level] < this.minRank)
            return;
        const record = { time: new Date().toISOString(), level, service: this.service, msg };
        // The envelope keys belong to the logger: a field named `level` must not make a line
        // unparseable by the log pipeline, so colliding fields are kept under `_<name>`.
        for (const [key, value] of Object.entries({ ...this.bound, ...fields })) {
            record[RESERVED.has(key) ? `_${key}` : key] = value;
        }
        this.sink((0, log_line_util_1.toLogLine)(record));
    }
}
/** A logger for `service` that drops lines below `level` and writes each line to `sink` (stdout). */
function createLogger(service, level = 'info', sink = stdoutSink) {
    return new JsonLogger(service, RANK[level], sink, {});
}
//# sourceMappingURL=logger.js.map