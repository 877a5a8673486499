import { checkCron, nextOccurrence } from '@sandcastle/workflow';
import { ApiException } from '../http/api.exception';

/** A cron and time zone that passed the checks, normalised, with the first due time after now. */
export interface CheckedCron {
  expression: string;
  timezone: string;
}

/**
 * Refuses a bad cron (400 INVALID_CRON) or time zone (400 VALIDATION_ERROR) before anything is
 * stored, naming the field.
 */
export function requireValidCron(expression: string, timezone: string): CheckedCron {
  const check = checkCron(expression, timezone);
  if (check.ok) return { expression: check.expression, timezone: check.timezone };
  const code = check.field === 'timezone' ? 'VALIDATION_ERROR' : 'INVALID_CRON';
  throw new ApiException(code, check.message, [{ field: check.field, message: check.message }]);
}

/** The due time an enabled schedule waits for next; null when disabled. */
export function firstDueTime(cron: CheckedCron, enabled: boolean, now: Date = new Date()): Date | null {
  return enabled ? nextOccurrence(cron.expression, cron.timezone, now) : null;
}
