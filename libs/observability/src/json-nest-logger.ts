import type { LoggerService } from '@nestjs/common';
import type { LogFields, Logger, LogLevel } from './logger';

const STACK = /\n[ \t]+at .+:\d+:\d+/;
const isStack = (value: unknown): boolean =>
  value === undefined || (typeof value === 'string' && STACK.test(value));

function isPlainObject(value: unknown): value is LogFields {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Routes Nest's own logging (bootstrap, routes, exceptions) into the JSON logger, so a
 * service's output is JSON from the first line. Nest's trailing context argument becomes the
 * field `context`; `log` → info, `verbose` → debug, `fatal` → error with `fatal: true`.
 */
export class JsonNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params, false);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params, false);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params, false);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params, false);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true, { fatal: true });
  }

  /**
   * Nest's argument conventions: `(message, ...extra, context?)`, and for errors
   * `(message, stack?, context?)`, where a stack may be `undefined` (`err?.stack`).
   */
  private write(
    level: LogLevel,
    message: unknown,
    params: unknown[],
    hasStack: boolean,
    base: LogFields = {},
  ): void {
    const rest = [...params];
    const fields: LogFields = { ...base };
    if (hasStack && rest.length === 1 && isStack(rest[0])) {
      fields.stack = rest.pop();
    } else {
      if (typeof rest.at(-1) === 'string' && !(hasStack && isStack(rest.at(-1)))) fields.context = rest.pop();
      if (hasStack && rest.length > 0 && (typeof rest.at(-1) === 'string' || rest.at(-1) === undefined)) {
        fields.stack = rest.pop();
      }
    }
    const extra: unknown[] = [];
    for (const param of rest) {
      if (isPlainObject(param)) Object.assign(fields, param);
      else if (param instanceof Error) fields.err = param;
      else extra.push(param);
    }
    if (extra.length > 0) fields.params = extra;
    if (fields.stack === undefined) delete fields.stack;
    this.logger[level](this.messageText(message, fields), fields);
  }

  private messageText(message: unknown, fields: LogFields): string {
    if (typeof message === 'string') return message;
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
