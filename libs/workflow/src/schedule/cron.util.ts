import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';

/**
 * Cron evaluation for schedules, on the well-kept libraries (cron-parser for occurrences in an
 * IANA time zone, cronstrue for the words): no cron parser of our own. Pure: the clock is passed
 * in, so the gateway (validation, `next_run_at`), the scheduler (due times) and the tests with a
 * fixed clock all agree.
 *
 * An expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading
 * seconds field. Daylight-saving changes follow cron-parser: a local time that does not exist
 * (the hour skipped in spring) fires once, just after the jump; a local time that occurs twice
 * (the hour repeated in autumn) fires once.
 */
export type CronCheck =
  | { ok: true; expression: string; timezone: string; description: string }
  | { ok: false; field: 'cron_expression' | 'timezone'; message: string };

/** Longest cron text accepted: real expressions are far shorter; the bound keeps errors small. */
export const MAX_CRON_LENGTH = 200;

export function isValidTimeZone(timezone: string): boolean {
  if (timezone.length === 0 || timezone.length > 100) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Checks an expression and a time zone; the description is the cron in words ("Every 6 hours"). */
export function checkCron(expression: string, timezone: string): CronCheck {
  if (!isValidTimeZone(timezone)) {
    return {
      ok: false,
      field: 'timezone',
      message: `timezone must be an IANA time zone name, got '${clip(timezone)}'`,
    };
  }
  const text = expression.trim().replace(/\s+/g, ' ');
  if (text.length === 0 || text.length > MAX_CRON_LENGTH) {
    return {
      ok: false,
      field: 'cron_expression',
      message: `cron_expression must be 1-${MAX_CRON_LENGTH} characters`,
    };
  }
  const fields = text.split(' ').length;
  if (fields !== 5 && fields !== 6) {
    return {
      ok: false,
      field: 'cron_expression',
      message: `cron_expression must have 5 fields (minute hour day month weekday) or 6 with leading seconds, got ${fields}`,
    };
  }
  try {
    const parsed = CronExpressionParser.parse(text, { tz: timezone, currentDate: new Date(0) });
    parsed.next();
  } catch (err) {
    return {
      ok: false,
      field: 'cron_expression',
      message: `cron_expression '${clip(text)}': ${(err as Error).message}`,
    };
  }
  return { ok: true, expression: text, timezone, description: describeCron(text) };
}

/** The cron in words; falls back to the expression itself if the describer cannot say it. */
export function describeCron(expression: string): string {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return expression;
  }
}

/** The first occurrence strictly after `after`, in `timezone`; null if there is none. */
export function nextOccurrence(expression: string, timezone: string, after: Date): Date | null {
  try {
    const parsed = CronExpressionParser.parse(expression, { tz: timezone, currentDate: after });
    const next = parsed.next().toDate();
    // cron-parser starts from the next whole second: never answer `after` itself.
    return next.getTime() > after.getTime()
      ? next
      : nextOccurrence(expression, timezone, new Date(after.getTime() + 1000));
  } catch {
    return null;
  }
}

/** The last occurrence at or before `at`, in `timezone`; null if there is none. */
export function latestOccurrence(expression: string, timezone: string, at: Date): Date | null {
  try {
    const parsed = CronExpressionParser.parse(expression, {
      tz: timezone,
      currentDate: new Date(at.getTime() + 1),
    });
    return parsed.prev().toDate();
  } catch {
    return null;
  }
}

/**
 * What a due schedule fires: one run for the latest occurrence at or before `now` (never before
 * the stored `dueAt`), and how many occurrences came due since `dueAt` (1 when only `dueAt` did;
 * counted up to `countLimit`). A scheduler that was down fires once, not once per missed tick.
 */
export function collapseMissed(
  expression: string,
  timezone: string,
  dueAt: Date,
  now: Date,
  countLimit = 1000,
): { fireAt: Date; missed: number } {
  const latest = latestOccurrence(expression, timezone, now);
  const fireAt = latest !== null && latest.getTime() > dueAt.getTime() ? latest : dueAt;
  let missed = 1;
  let cursor = dueAt;
  while (missed < countLimit && cursor.getTime() < fireAt.getTime()) {
    const next = nextOccurrence(expression, timezone, cursor);
    if (next === null || next.getTime() > fireAt.getTime()) break;
    cursor = next;
    missed += 1;
  }
  return { fireAt, missed };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
