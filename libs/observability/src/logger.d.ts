export declare const LOG_LEVELS: readonly ["debug", "info", "warn", "error"];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;
/** Structured logger: one JSON object per line, `{"time","level","service","msg",...fields}`. */
export interface Logger {
    debug(msg: string, fields?: LogFields): void;
    info(msg: string, fields?: LogFields): void;
    warn(msg: string, fields?: LogFields): void;
    error(msg: string, fields?: LogFields): void;
    /** A logger that adds `fields` to every line (e.g. `{runId}`); the call's own fields win. */
    child(fields: LogFields): Logger;
}
/** A logger for `service` that drops lines below `level` and writes each line to `sink` (stdout). */
export declare function createLogger(service: string, level?: LogLevel, sink?: (line: string) => void): Logger;
