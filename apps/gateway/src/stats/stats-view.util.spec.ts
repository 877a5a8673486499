import { fillDays, successRate, toStatsView } from './stats-view.util';
import { lastUtcDates, utcDayStart } from './stats-window.util';

const NOW = new Date('2026-03-02T10:15:00Z');

describe('stats windows', () => {
  it('starts days at 00:00 UTC, also across a month end', () => {
    expect(utcDayStart(NOW).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(utcDayStart(NOW, 2).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(utcDayStart(new Date('2026-03-02T00:00:00Z')).toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('lists the last days oldest first, ending today', () => {
    expect(lastUtcDates(NOW, 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(lastUtcDates(NOW, 30)).toHaveLength(30);
    expect(lastUtcDates(NOW, 30)[0]).toBe('2026-02-01');
  });
});

describe('successRate', () => {
  it('is completed over runs that finished on their own, to 4 places', () => {
    expect(successRate(2, 1)).toBe(0.6667);
    expect(successRate(5, 0)).toBe(1);
    expect(successRate(0, 3)).toBe(0);
  });

  it('is 0 when nothing finished', () => {
    expect(successRate(0, 0)).toBe(0);
  });
});

describe('fillDays', () => {
  it('has every day of the window, with zeros for days without runs', () => {
    const days = fillDays([{ date: '2026-03-01', completed: 1, failed: 2, total: 4 }], NOW, 3);
    expect(days).toEqual([
      { date: '2026-02-28', completed: 0, failed: 0, total: 0 },
      { date: '2026-03-01', completed: 1, failed: 2, total: 4 },
      { date: '2026-03-02', completed: 0, failed: 0, total: 0 },
    ]);
  });

  it('ignores rows outside the window', () => {
    const days = fillDays([{ date: '2025-01-01', completed: 9, failed: 9, total: 9 }], NOW, 2);
    expect(days.map((d) => d.total)).toEqual([0, 0]);
  });
});

describe('toStatsView', () => {
  it('rounds money to micro-dollars and durations to tenths, and reports no duration as 0', () => {
    const view = toStatsView(
      { total: 3, completed: 1, failed: 1, costUsd: 0.1 + 0.2, avgDurationSeconds: null },
      [],
      [{ workflow: 'a', cost_usd: 0.30000000000000004, runs: 2 }],
      NOW,
    );
    expect(view).toMatchObject({
      total_runs_today: 3,
      success_rate: 0.5,
      total_cost_today: 0.3,
      avg_duration_seconds: 0,
      cost_by_workflow: [{ workflow: 'a', cost_usd: 0.3, runs: 2 }],
    });
    expect(view.runs_by_day).toHaveLength(30);
    expect(
      toStatsView({ total: 1, completed: 1, failed: 0, costUsd: 0, avgDurationSeconds: 12.345 }, [], [], NOW)
        .avg_duration_seconds,
    ).toBe(12.3);
  });
});
