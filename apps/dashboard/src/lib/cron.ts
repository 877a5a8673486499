import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';

/** The cron in words, or null when it does not parse. */
export function cronInWords(expression: string): string | null {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true });
  } catch {
    return null;
  }
}

/** The next `count` times the cron fires in `timezone`, or the parser's complaint. */
export function nextRuns(
  expression: string,
  timezone: string,
  count = 5,
  from = new Date(),
): { times: Date[] } | { error: string } {
  try {
    const interval = CronExpressionParser.parse(expression, { tz: timezone || 'UTC', currentDate: from });
    return { times: interval.take(count).map((d) => d.toDate()) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
