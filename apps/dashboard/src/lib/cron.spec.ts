import { cronInWords, nextRuns } from './cron';

describe('schedule previews', () => {
  it('says the cron in words', () => {
    expect(cronInWords('0 */6 * * *')).toBe('On the hour, every 6 hours');
    expect(cronInWords('not a cron')).toBeNull();
  });

  it('lists the next five runs in the time zone', () => {
    const result = nextRuns('0 9 * * *', 'Europe/Berlin', 5, new Date('2026-01-10T12:00:00Z'));
    if ('error' in result) throw new Error(result.error);
    expect(result.times.map((d) => d.toISOString())).toEqual([
      '2026-01-11T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-13T08:00:00.000Z',
      '2026-01-14T08:00:00.000Z',
      '2026-01-15T08:00:00.000Z',
    ]);
    expect('error' in nextRuns('61 * * * *', 'UTC')).toBe(true);
  });
});
