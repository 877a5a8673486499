import { isPastDeadline } from './dispatch-deadline.util';

describe('isPastDeadline', () => {
  const now = new Date('2026-12-02T12:00:00.000Z');

  it('refuses a dispatch that arrives after its deadline', () => {
    expect(isPastDeadline({ deadlineAt: '2026-12-02T11:59:59.999Z' }, now)).toBe(true);
    expect(isPastDeadline({ deadlineAt: '2026-12-01T12:00:00.000Z' }, now)).toBe(true);
  });

  it('accepts a dispatch up to its deadline', () => {
    expect(isPastDeadline({ deadlineAt: '2026-12-02T12:00:00.000Z' }, now)).toBe(false);
    expect(isPastDeadline({ deadlineAt: '2026-12-02T12:10:00.000Z' }, now)).toBe(false);
  });

  it('never refuses a dispatch without a (readable) deadline: an older orchestrator sent it', () => {
    expect(isPastDeadline({}, now)).toBe(false);
    expect(isPastDeadline({ deadlineAt: 'not a date' }, now)).toBe(false);
  });
});
