import type { LineageRow } from '../runs/runs.repository';
import { buildLineageTree } from './lineage-tree.util';

const t0 = Date.parse('2030-01-01T00:00:00Z');

function row(
  id: string,
  parentRunId: string | null,
  minute: number,
  fields: Partial<LineageRow> = {},
): LineageRow {
  return {
    id,
    parentRunId,
    status: 'completed',
    kind: parentRunId === null ? 'original' : 'replay',
    replayFromStep: parentRunId === null ? null : 'b',
    totalCostUsd: 0,
    createdAt: new Date(t0 + minute * 60_000),
    ...fields,
  };
}

/** The tree as nested ids, for compact assertions. */
type Shape = [string, Shape[]];
function shape(node: { run_id: string; children: { run_id: string; children: unknown[] }[] }): Shape {
  return [node.run_id, node.children.map((c) => shape(c as Parameters<typeof shape>[0]))];
}

describe('buildLineageTree', () => {
  it('nests runs under their parents, children oldest first whatever the row order', () => {
    const rows = [
      row('fork2', 'root', 5, { kind: 'fork' }),
      row('replay1', 'root', 1),
      row('root', null, 0),
      row('replay1a', 'replay1', 3),
      row('fork1', 'root', 2, { kind: 'fork', replayFromStep: 'c' }),
    ];
    const tree = buildLineageTree(rows, 'root');
    expect(shape(tree!)).toEqual([
      'root',
      [
        ['replay1', [['replay1a', []]]],
        ['fork1', []],
        ['fork2', []],
      ],
    ]);
    expect(tree!.children[1]).toEqual({
      run_id: 'fork1',
      status: 'completed',
      kind: 'fork',
      from_step: 'c',
      total_cost_usd: 0,
      created_at: '2030-01-01T00:02:00.000Z',
      children: [],
    });
    expect(tree).toMatchObject({ run_id: 'root', kind: 'original', from_step: null });
  });

  it('orders runs created at the same time by id, so the answer is stable', () => {
    const tree = buildLineageTree([row('root', null, 0), row('b', 'root', 1), row('a', 'root', 1)], 'root');
    expect(tree!.children.map((c) => c.run_id)).toEqual(['a', 'b']);
  });

  it('hangs a run whose parent is missing under the root, and gives null without the root', () => {
    const tree = buildLineageTree([row('root', null, 0), row('orphan', 'gone', 1)], 'root');
    expect(shape(tree!)).toEqual(['root', [['orphan', []]]]);
    expect(buildLineageTree([row('x', null, 0)], 'root')).toBeNull();
  });
});
