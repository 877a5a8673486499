const DAY_MS = 24 * 60 * 60 * 1000;

/** Days of `runs_by_day`, today included. */
export const RUNS_BY_DAY_DAYS = 30;
/** Days of `cost_by_workflow`, today included. */
export const COST_BY_WORKFLOW_DAYS = 7;

/** 00:00 UTC of the day `daysBack` days before the UTC day of `now`. */
export function utcDayStart(now: Date, daysBack = 0): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight - daysBack * DAY_MS);
}

/** `YYYY-MM-DD` of a UTC instant. */
export function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `days` UTC dates up to the day of `now`, oldest first. */
export function lastUtcDates(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => utcDate(utcDayStart(now, days - 1 - i)));
}
