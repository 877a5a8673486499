import { currentLogContext, logContextFields } from './log-context';
import { toLogLine } from './log-line.util';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

/**
 * Structured logger: one JSON object per line, `{"time","level","service","msg",...fields}`.
 * A line written inside a log context (a request, a message, a run's transition) also carries
 * `trace_id`, `span_id`, `run_id` and `step_id` (null when not known).
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{runId}`); the call's own fields win. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED = new Set(['time', 'level', 'service', 'msg']);

const stdoutSink = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

class JsonLogger implements Logger {
  constructor(
    private readonly service: string,
    private readonly minRank: number,
    private readonly sink: (line: string) => void,
    private readonly bound: LogFields,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.service, this.minRank, this.sink, { ...this.bound, ...fields });
  }

  private write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (RANK[level] < this.minRank) return;
    const record: LogFields = { time: new Date().toISOString(), level, service: this.service, msg };
    // The envelope keys belong to the logger: a field named `level` must not make a line
    // unparseable by the log pipeline, so colliding fields are kept under `_<name>`.
    const context = logContextFields(currentLogContext());
    for (const [key, value] of Object.entries({ ...context, ...this.bound, ...fields })) {
      record[RESERVED.has(key) ? `_${key}` : key] = value;
    }
    this.sink(toLogLine(record));
  }
}

/** A logger for `service` that drops lines below `level` and writes each line to `sink` (stdout). */
export function createLogger(
  service: string,
  level: LogLevel = 'info',
  sink: (line: string) => void = stdoutSink,
): Logger {
  return new JsonLogger(service, RANK[level], sink, {});
}
