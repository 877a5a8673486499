import { QueryFailedError } from 'typeorm';
import { isPgError, isPgUniqueViolation } from './pg-errors.util';

// Shaped like node-postgres' DatabaseError for a unique violation.
function uniqueViolation(constraint: string): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint'), {
    code: '23505',
    constraint,
  });
}

describe('isPgUniqueViolation', () => {
  it('recognises a node-postgres unique violation, with or without a constraint name', () => {
    const err = uniqueViolation('pk_step_attempts');
    expect(isPgUniqueViolation(err)).toBe(true);
    expect(isPgUniqueViolation(err, 'pk_step_attempts')).toBe(true);
    expect(isPgUniqueViolation(err, 'uq_runs_tenant_idempotency')).toBe(false);
  });

  it('recognises a TypeORM QueryFailedError wrapping one', () => {
    const err = new QueryFailedError('INSERT …', [], uniqueViolation('uq_runs_tenant_idempotency'));
    expect(isPgUniqueViolation(err, 'uq_runs_tenant_idempotency')).toBe(true);
  });

  it('reads the driver error when the wrapper carries no code of its own', () => {
    const err = { message: 'wrapped', driverError: uniqueViolation('uq_run_steps_run_step_item') };
    expect(isPgUniqueViolation(err, 'uq_run_steps_run_step_item')).toBe(true);
  });

  it('rejects other errors and non-errors', () => {
    const checkViolation = Object.assign(new Error('violates check constraint'), {
      code: '23514',
      constraint: 'ck_runs_status',
    });
    expect(isPgUniqueViolation(checkViolation)).toBe(false);
    expect(isPgUniqueViolation(new Error('boom'))).toBe(false);
    expect(isPgUniqueViolation(undefined)).toBe(false);
    expect(isPgUniqueViolation('23505')).toBe(false);
  });
});

describe('isPgError', () => {
  it('matches on the SQLSTATE', () => {
    const err = Object.assign(new Error('database "x" already exists'), { code: '42P04' });
    expect(isPgError(err, '42P04')).toBe(true);
    expect(isPgError(err, '23505')).toBe(false);
    expect(isPgError(null, '42P04')).toBe(false);
  });
});
