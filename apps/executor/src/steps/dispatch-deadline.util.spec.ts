import { isPastLatestStart, latestStartOf } from './dispatch-deadline.util';

describe('latestStartOf / isPastLatestStart', () => {
  const now = new Date('2026-12-02T12:00:00.000Z');

  it('is the deadline minus the attempt timeout', () => {
    expect(latestStartOf({ deadlineAt: '2026-12-02T12:10:00.000Z', timeoutSeconds: 300 })).toEqual(
      new Date('2026-12-02T12:05:00.000Z'),
    );
  });

  it('refuses a dispatch that can no longer finish before its deadline', () => {
    expect(isPastLatestStart({ deadlineAt: '2026-12-02T12:04:59.000Z', timeoutSeconds: 300 }, now)).toBe(
      true,
    );
    expect(isPastLatestStart({ deadlineAt: '2026-12-02T11:00:00.000Z', timeoutSeconds: 1 }, now)).toBe(true);
  });

  it('accepts a dispatch still in time', () => {
    expect(isPastLatestStart({ deadlineAt: '2026-12-02T12:05:01.000Z', timeoutSeconds: 300 }, now)).toBe(
      false,
    );
  });

  it('never refuses a dispatch without a deadline (older orchestrator)', () => {
    expect(isPastLatestStart({ timeoutSeconds: 300 }, now)).toBe(false);
    expect(isPastLatestStart({ deadlineAt: 'not a date', timeoutSeconds: 300 }, now)).toBe(false);
  });
});
