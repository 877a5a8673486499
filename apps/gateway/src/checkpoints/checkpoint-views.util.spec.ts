import type { CheckpointStateRow } from './checkpoints.repository';
import { isFanOutAggregate, toCheckpointStateView, toCheckpointViews } from './checkpoint-views.util';

const RUN = '11111111-1111-4111-8111-111111111111';
const PARENT = '22222222-2222-4222-8222-222222222222';
const DONE = new Date('2026-11-20T09:00:00.000Z');

function row(seq: number, stepId: string, fields: Partial<CheckpointStateRow> = {}): CheckpointStateRow {
  return {
    seq,
    stepId,
    itemIndex: null,
    itemCount: null,
    status: 'completed',
    costUsd: 0,
    completedAt: DONE,
    restoredFrom: null,
    output: null,
    ...fields,
  };
}

/** prep → each over 2 items (item 1 first, then 0, then the aggregate) → a skipped step. */
const ROWS: CheckpointStateRow[] = [
  row(1, 'prep', { costUsd: 0.1, output: 'ready' }),
  row(2, 'each', { itemIndex: 1, costUsd: 0.2 }),
  row(3, 'each', { itemIndex: 0, costUsd: 0.4 }),
  row(4, 'each', { itemCount: 2, costUsd: 0.6, output: ['a', 'b'] }),
  row(5, 'maybe', { status: 'skipped', costUsd: 0.05 }),
];

describe('isFanOutAggregate', () => {
  it("is a step's own row with an item count, not a plain step or an item", () => {
    expect(isFanOutAggregate({ itemIndex: null, itemCount: 3 })).toBe(true);
    expect(isFanOutAggregate({ itemIndex: null, itemCount: 0 })).toBe(true);
    expect(isFanOutAggregate({ itemIndex: null, itemCount: null })).toBe(false);
    expect(isFanOutAggregate({ itemIndex: 0, itemCount: null })).toBe(false);
  });
});

describe('toCheckpointViews', () => {
  it('accumulates costs in order without counting a fan-out aggregate twice', () => {
    const views = toCheckpointViews(ROWS, null);
    expect(
      views.map((v) => [v.seq, v.step_id, v.parallel_index, v.status, v.cost_usd, v.total_cost_usd]),
    ).toEqual([
      [1, 'prep', null, 'completed', 0.1, 0.1],
      [2, 'each', 1, 'completed', 0.2, 0.3],
      [3, 'each', 0, 'completed', 0.4, 0.7],
      [4, 'each', null, 'completed', 0.6, 0.7],
      [5, 'maybe', null, 'skipped', 0.05, 0.75],
    ]);
    expect(views[0]?.completed_at).toBe('2026-11-20T09:00:00.000Z');
  });

  it('names the parent run for restored rows and null completion times as null', () => {
    const [restored, own] = toCheckpointViews(
      [
        row(1, 'a', { restoredFrom: '33333333-3333-4333-8333-333333333333' }),
        row(2, 'b', { completedAt: null }),
      ],
      PARENT,
    );
    expect(restored?.restored_from).toBe(PARENT);
    expect(own?.restored_from).toBeNull();
    expect(own?.completed_at).toBeNull();
  });

  it('is empty for a run without checkpoints', () => {
    expect(toCheckpointViews([], null)).toEqual([]);
  });
});

describe('toCheckpointStateView', () => {
  it('leaves out a fan-out step until its aggregate is in, but shows its finished items in costs', () => {
    expect(toCheckpointStateView(RUN, 2, ROWS)).toEqual({
      run_id: RUN,
      seq: 2,
      step_id: 'each',
      parallel_index: 1,
      outputs: { prep: 'ready' },
      costs: { prep: 0.1, 'each[1]': 0.2 },
      total_cost_usd: 0.3,
    });
  });

  it('shows the fan-out output once its aggregate is in, and a skipped step as null', () => {
    expect(toCheckpointStateView(RUN, 5, ROWS)).toEqual({
      run_id: RUN,
      seq: 5,
      step_id: 'maybe',
      parallel_index: null,
      outputs: { prep: 'ready', each: ['a', 'b'], maybe: null },
      costs: { prep: 0.1, 'each[1]': 0.2, 'each[0]': 0.4, maybe: 0.05 },
      total_cost_usd: 0.75,
    });
  });

  it('ignores rows past seq even when given them', () => {
    expect(toCheckpointStateView(RUN, 1, ROWS)).toMatchObject({
      outputs: { prep: 'ready' },
      costs: { prep: 0.1 },
      total_cost_usd: 0.1,
    });
  });

  it('is null when no row has that seq', () => {
    expect(toCheckpointStateView(RUN, 6, ROWS)).toBeNull();
    expect(toCheckpointStateView(RUN, 1, [])).toBeNull();
  });
});
