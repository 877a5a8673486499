/** SQLSTATE codes this library reacts to (PostgreSQL appendix A). */
export declare const PG_UNIQUE_VIOLATION = "23505";
export declare const PG_DUPLICATE_DATABASE = "42P04";
/** Whether `err` is a PostgreSQL error with the given SQLSTATE. */
export declare function isPgError(err: unknown, code: string): boolean;
/**
 * Whether `err` is a unique violation, optionally of one named constraint or unique index
 * (e.g. 'uq_runs_tenant_idempotency', 'pk_step_attempts'). Callers use it to turn "already
 * there" into an idempotent outcome instead of a failure.
 */
export declare function isPgUniqueViolation(err: unknown, constraint?: string): boolean;
