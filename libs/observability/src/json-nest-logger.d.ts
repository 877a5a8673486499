import type { LoggerService } from '@nestjs/common';
import type { Logger } from './logger';
/**
 * Routes Nest's own logging (bootstrap, routes, exceptions) into the JSON logger, so a
 * service's output is JSON from the first line. Nest's trailing context argument becomes the
 * field `context`; `log` → info, `verbose` → debug, `fatal` → error with `fatal: true`.
 */
export declare class JsonNestLogger implements LoggerService {
    private readonly logger;
    constructor(logger: Logger);
    log(message: unknown, ...params: unknown[]): void;
    warn(message: unknown, ...params: unknown[]): void;
    debug(message: unknown, ...params: unknown[]): void;
    verbose(message: unknown, ...params: unknown[]): void;
    error(message: unknown, ...params: unknown[]): void;
    fatal(message: unknown, ...params: unknown[]): void;
    /**
     * Nest's argument conventions: `(message, ...extra, context?)`, and for errors
     * `(message, stack?, context?)`, where a stack may be `undefined` (`err?.stack`).
     */
    private write;
    private messageText;
}
