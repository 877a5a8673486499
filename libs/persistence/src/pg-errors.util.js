"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PG_DUPLICATE_DATABASE = exports.PG_UNIQUE_VIOLATION = void 0;
exports.isPgError = isPgError;
exports.isPgUniqueViolation = isPgUniqueViolation;
/** SQLSTATE codes this library reacts to (PostgreSQL appendix A). */
exports.PG_UNIQUE_VIOLATION = '23505';
exports.PG_DUPLICATE_DATABASE = '42P04';
/**
 * The SQLSTATE and constraint of a PostgreSQL error, whether it is a node-postgres error or a
 * TypeORM QueryFailedError (which copies the fields and also keeps the original as driverError).
 */
function pgErrorFields(err) {
    if (typeof err !== 'object' || err === null)
        return undefined;
    const own = err;
    if (own.code !== undefined)
        return own;
    const driverError = own.driverError;
    return typeof driverError === 'object' && driverError !== null ? driverError : undefined;
}
/** Whether `err` is a PostgreSQL error with the given SQLSTATE. */
function isPgError(err, code) {
    return pgErrorFields(err)?.code === code;
}
/**
 * Whether `err` is a unique violation, optionally of one named constraint or unique index
 * (e.g. 'uq_runs_tenant_idempotency', 'pk_step_attempts'). Callers use it to turn "already
 * there" into an idempotent outcome instead of a failure.
 */
function isPgUniqueViolation(err, constraint) {
    const fields = pgErrorFields(err);
    if (fields?.code !== exports.PG_UNIQUE_VIOLATION)
        return false;
    return constraint === undefined || fields.constraint === constraint;
}
//# sourceMappingURL=pg-errors.util.js.map