/** SQLSTATE codes this library reacts to (PostgreSQL appendix A). */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_DUPLICATE_DATABASE = '42P04';

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
}

/**
 * The SQLSTATE and constraint of a PostgreSQL error, whether it is a node-postgres error or a
 * TypeORM QueryFailedError (which copies the fields and also keeps the original as driverError).
 */
function pgErrorFields(err: unknown): PgErrorFields | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = err as PgErrorFields & { driverError?: unknown };
  if (own.code !== undefined) return own;
  const driverError = own.driverError;
  return typeof driverError === 'object' && driverError !== null ? driverError : undefined;
}

/** Whether `err` is a PostgreSQL error with the given SQLSTATE. */
export function isPgError(err: unknown, code: string): boolean {
  return pgErrorFields(err)?.code === code;
}

/**
 * Whether `err` is a unique violation, optionally of one named constraint or unique index
 * (e.g. 'uq_runs_tenant_idempotency', 'pk_step_attempts'). Callers use it to turn "already
 * there" into an idempotent outcome instead of a failure.
 */
export function isPgUniqueViolation(err: unknown, constraint?: string): boolean {
  const fields = pgErrorFields(err);
  if (fields?.code !== PG_UNIQUE_VIOLATION) return false;
  return constraint === undefined || fields.constraint === constraint;
}
