import { decideFire, type DecisionInput } from './fire-decision.util';

const at = (iso: string) => new Date(iso);

function input(overrides: Partial<DecisionInput> & { now: Date }): DecisionInput {
  return {
    schedule: {
      cronExpression: '*/2 * * * * *',
      timezone: 'UTC',
      overlap: 'allow',
      nextRunAt: at('2026-01-01T00:00:02Z'),
    },
    workflowExists: true,
    workflowName: 'nightly',
    previousRunActive: false,
    catchUpAfterMs: 30_000,
    ...overrides,
  };
}

describe('decideFire', () => {
  it('fires a due time on time and moves to the next one', () => {
    expect(decideFire(input({ now: at('2026-01-01T00:00:02.200Z') }))).toEqual({
      kind: 'fire',
      fireAt: at('2026-01-01T00:00:02Z'),
      missed: 1,
      catchUp: false,
      nextRunAt: at('2026-01-01T00:00:04Z'),
    });
  });

  it('fires one catch-up for several missed due times', () => {
    expect(decideFire(input({ now: at('2026-01-01T00:00:09.100Z') }))).toEqual({
      kind: 'fire',
      fireAt: at('2026-01-01T00:00:08Z'),
      missed: 4,
      catchUp: true,
      nextRunAt: at('2026-01-01T00:00:10Z'),
    });
  });

  it('marks a single late fire as a catch-up past the tolerance', () => {
    const hourly = {
      cronExpression: '0 * * * *',
      timezone: 'UTC',
      overlap: 'allow' as const,
      nextRunAt: at('2026-01-01T10:00:00Z'),
    };
    const late = decideFire(input({ schedule: hourly, now: at('2026-01-01T10:05:00Z') }));
    expect(late).toMatchObject({
      kind: 'fire',
      missed: 1,
      catchUp: true,
      nextRunAt: at('2026-01-01T11:00:00Z'),
    });
  });

  it('skips while the previous run is active when overlap is skip, and fires when it is allow', () => {
    const skip = {
      cronExpression: '*/2 * * * * *',
      timezone: 'UTC',
      overlap: 'skip' as const,
      nextRunAt: at('2026-01-01T00:00:02Z'),
    };
    expect(
      decideFire(input({ schedule: skip, previousRunActive: true, now: at('2026-01-01T00:00:02.1Z') })),
    ).toEqual({
      kind: 'skip',
      fireAt: at('2026-01-01T00:00:02Z'),
      nextRunAt: at('2026-01-01T00:00:04Z'),
    });
    expect(decideFire(input({ previousRunActive: true, now: at('2026-01-01T00:00:02.1Z') })).kind).toBe(
      'fire',
    );
  });

  it('disables a schedule whose workflow was deleted, saying why', () => {
    expect(decideFire(input({ workflowExists: false, now: at('2026-01-01T00:00:02.1Z') }))).toEqual({
      kind: 'disable',
      reason: expect.stringContaining("workflow 'nightly' no longer exists"),
    });
  });

  it('keeps local wall-clock time across a DST change (09:00 New York)', () => {
    const daily = {
      cronExpression: '0 9 * * *',
      timezone: 'America/New_York',
      overlap: 'allow' as const,
      nextRunAt: at('2026-03-07T14:00:00Z'),
    };
    const decision = decideFire(input({ schedule: daily, now: at('2026-03-07T14:00:00.5Z') }));
    expect(decision).toMatchObject({ kind: 'fire', nextRunAt: at('2026-03-08T13:00:00Z') });
  });
});
