import type { LineageRow } from '../runs/runs.repository';
import type { LineageNodeView } from './run-control.views';

function byAge(a: LineageRow, b: LineageRow): number {
  const time = a.createdAt.getTime() - b.createdAt.getTime();
  if (time !== 0) return time;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The lineage rows as a tree under `rootId`, every node's children oldest first. A run whose
 * parent is not among the rows (its parent was deleted) hangs under the root rather than being
 * dropped. Null when the root itself is not among the rows.
 */
export function buildLineageTree(rows: readonly LineageRow[], rootId: string): LineageNodeView | null {
  const sorted = [...rows].sort(byAge);
  const nodes = new Map<string, LineageNodeView>();
  for (const row of sorted) {
    nodes.set(row.id, {
      run_id: row.id,
      status: row.status,
      kind: row.kind,
      from_step: row.replayFromStep,
      total_cost_usd: row.totalCostUsd,
      created_at: row.createdAt.toISOString(),
      children: [],
    });
  }
  const root = nodes.get(rootId);
  if (!root) return null;
  for (const row of sorted) {
    if (row.id === rootId) continue;
    const node = nodes.get(row.id)!;
    const parent = (row.parentRunId !== null ? nodes.get(row.parentRunId) : undefined) ?? root;
    parent.children.push(node);
  }
  return root;
}
