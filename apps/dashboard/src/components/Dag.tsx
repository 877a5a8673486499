import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { useMemo } from 'react';

export interface DagStep {
  id: string;
  depends_on: string[];
}

type StepNodeData = { label: string; status: string | undefined; selected: boolean; problem: boolean };

const RING: Record<string, string> = {
  completed: 'border-emerald-500',
  failed: 'border-red-500',
  running: 'border-blue-500',
  budget_exceeded: 'border-orange-500',
  cancelled: 'border-slate-400',
  pending: 'border-slate-300 dark:border-slate-600',
  skipped: 'border-slate-300 border-dashed dark:border-slate-600',
  queued: 'border-violet-400',
};

function StepNode({ data }: NodeProps<Node<StepNodeData>>) {
  const ring = data.problem
    ? 'border-red-600'
    : data.status
      ? (RING[data.status] ?? 'border-amber-500')
      : 'border-slate-300 dark:border-slate-600';
  return (
    <div
      className={`min-w-36 rounded-md border-2 bg-white px-3 py-2 text-xs shadow-sm dark:bg-slate-800 ${ring} ${data.selected ? 'ring-2 ring-blue-400' : ''}`}
      data-status={data.status ?? 'pending'}
      data-testid={`dag-node-${data.label}`}
    >
      <Handle type="target" position={Position.Left} />
      <div className="flex items-center gap-2">
        {data.status === 'running' && (
          <span className="sc-pulse h-2.5 w-2.5 rounded-full bg-blue-600" aria-hidden />
        )}
        <span className="font-semibold text-slate-900 dark:text-slate-100">{data.label}</span>
      </div>
      <div className="text-slate-600 dark:text-slate-300">
        {data.status ? data.status.replace(/_/g, ' ') : 'pending'}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const nodeTypes = { step: StepNode };

/** Left-to-right layers: a step sits one column right of its deepest dependency. */
export function layoutSteps(steps: DagStep[]): Map<string, { x: number; y: number }> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const level = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = byId.get(id)?.depends_on.filter((d) => byId.has(d)) ?? [];
    const value = deps.length === 0 ? 0 : Math.max(...deps.map((d) => depth(d, seen))) + 1;
    level.set(id, value);
    return value;
  };
  const rows = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const step of steps) {
    const column = depth(step.id, new Set());
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(step.id, { x: column * 220, y: row * 90 });
  }
  return positions;
}

export function dagElements(
  steps: DagStep[],
  status: Record<string, string> = {},
  selected?: string,
  problems: Set<string> = new Set(),
) {
  const positions = layoutSteps(steps);
  const nodes: Node<StepNodeData>[] = steps.map((s) => ({
    id: s.id,
    type: 'step',
    position: positions.get(s.id) ?? { x: 0, y: 0 },
    data: { label: s.id, status: status[s.id], selected: s.id === selected, problem: problems.has(s.id) },
  }));
  const ids = new Set(steps.map((s) => s.id));
  const edges: Edge[] = steps.flatMap((s) =>
    s.depends_on
      .filter((d) => ids.has(d))
      .map((d) => ({ id: `${d}->${s.id}`, source: d, target: s.id, animated: status[s.id] === 'running' })),
  );
  return { nodes, edges };
}

/** A read-only DAG: the live one of a run, or a workflow's small preview. */
export function Dag({
  steps,
  status,
  selected,
  onSelect,
  height = 320,
  interactive = true,
}: {
  steps: DagStep[];
  status?: Record<string, string>;
  selected?: string;
  onSelect?: (id: string) => void;
  height?: number;
  interactive?: boolean;
}) {
  const { nodes, edges } = useMemo(() => dagElements(steps, status, selected), [steps, status, selected]);
  return (
    <div
      style={{ height }}
      className="rounded-md border border-slate-200 dark:border-slate-800"
      aria-label="workflow graph"
    >
      <ReactFlow
        // A new shape (the definition arrived, a step was added) is fitted into view again.
        key={steps.map((s) => `${s.id}<${s.depends_on.join(',')}`).join('|')}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={interactive}
        panOnDrag={interactive}
        zoomOnScroll={false}
        preventScrolling={false}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        {interactive && <Controls showInteractive={false} />}
      </ReactFlow>
    </div>
  );
}
