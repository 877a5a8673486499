import { checkCron, collapseMissed, nextOccurrence } from './cron.util';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Every occurrence after `from`, `count` of them, as ISO strings. */
function occurrences(expression: string, timezone: string, from: string, count: number): string[] {
  const out: string[] = [];
  let cursor = at(from);
  for (let i = 0; i < count; i += 1) {
    const next = nextOccurrence(expression, timezone, cursor);
    if (!next) break;
    out.push(next.toISOString());
    cursor = next;
  }
  return out;
}

describe('checkCron', () => {
  it('accepts 5 fields and 6 with leading seconds, and says them in words', () => {
    expect(checkCron('0 */6 * * *', 'UTC')).toEqual({
      ok: true,
      expression: '0 */6 * * *',
      timezone: 'UTC',
      description: 'On the hour, every 6 hours',
    });
    const seconds = checkCron('*/2 * * * * *', 'Europe/Berlin');
    expect(seconds).toMatchObject({ ok: true, description: 'Every 2 seconds' });
  });

  it('refuses a bad cron with a message naming the problem', () => {
    expect(checkCron('61 * * * *', 'UTC')).toMatchObject({ ok: false, field: 'cron_expression' });
    expect(checkCron('* * *', 'UTC')).toMatchObject({
      ok: false,
      field: 'cron_expression',
      message: expect.stringMatching(/5 fields .* got 3/),
    });
    expect(checkCron('* * * * * * *', 'UTC')).toMatchObject({ ok: false, field: 'cron_expression' });
    expect(checkCron('every day', 'UTC')).toMatchObject({ ok: false, field: 'cron_expression' });
    expect(checkCron('', 'UTC')).toMatchObject({ ok: false, field: 'cron_expression' });
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(checkCron('* * * * *', 'Mars/Olympus')).toMatchObject({ ok: false, field: 'timezone' });
    expect(checkCron('* * * * *', '')).toMatchObject({ ok: false, field: 'timezone' });
  });
});

describe('nextOccurrence across daylight-saving changes (fixed clock)', () => {
  it('keeps 09:00 local time on both sides of the spring change in New York', () => {
    // DST starts Sunday 2026-03-08 02:00 EST → 03:00 EDT: 09:00 is 14:00Z before, 13:00Z after.
    expect(occurrences('0 9 * * *', 'America/New_York', '2026-03-06T12:00:00Z', 4)).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('fires a skipped local time once, after the jump (Berlin, 02:30 on 2026-03-29)', () => {
    const fires = occurrences('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 3);
    expect(fires).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('fires a repeated local time once (Berlin, 02:30 on 2026-10-25 happens twice)', () => {
    const fires = occurrences('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 3);
    // 02:30 CEST (00:30Z) fires; the second 02:30 (CET, 01:30Z) does not fire again.
    expect(fires).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('answers strictly after the given instant', () => {
    expect(iso(nextOccurrence('*/2 * * * * *', 'UTC', at('2026-01-01T00:00:02.000Z')))).toBe(
      '2026-01-01T00:00:04.000Z',
    );
  });
});

describe('collapseMissed', () => {
  it('fires one catch-up for the latest missed occurrence and counts the missed ones', () => {
    expect(
      collapseMissed('*/2 * * * * *', 'UTC', at('2026-01-01T00:00:02Z'), at('2026-01-01T00:00:07.5Z')),
    ).toEqual({
      fireAt: at('2026-01-01T00:00:06Z'),
      missed: 3,
    });
  });

  it('fires the due time itself when nothing else was missed', () => {
    expect(
      collapseMissed('0 * * * *', 'UTC', at('2026-01-01T10:00:00Z'), at('2026-01-01T10:00:00.3Z')),
    ).toEqual({
      fireAt: at('2026-01-01T10:00:00Z'),
      missed: 1,
    });
  });

  it('stays cheap after a long outage of a per-second schedule', () => {
    const result = collapseMissed(
      '* * * * * *',
      'UTC',
      at('2026-01-01T00:00:00Z'),
      at('2026-01-08T00:00:00Z'),
      100,
    );
    expect(result.fireAt).toEqual(at('2026-01-08T00:00:00Z'));
    expect(result.missed).toBe(100);
  });
});
