/**
 * Graph helpers over anything with an id and `dependsOn`, shared by the validator (which works
 * on half-parsed steps) and the planner (which works on a WorkflowDefinition). Dependencies on
 * ids that are not in the list are ignored here; the validator reports them separately.
 */
export interface GraphNode {
  id: string;
  dependsOn: readonly string[];
}

/** Every step `stepId` needs, directly or through others (not including itself unless cyclic). */
export function ancestorsOf(nodes: readonly GraphNode[], stepId: string): Set<string> {
  return ancestorLookup(nodes)(stepId);
}

/**
 * `ancestorsOf` for many steps of one graph: the id index is built once, so asking for every
 * step stays linear per question instead of rebuilding the index each time.
 */
export function ancestorLookup(nodes: readonly GraphNode[]): (stepId: string) => Set<string> {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  return (stepId) => {
    const seen = new Set<string>();
    const stack = [...(byId.get(stepId)?.dependsOn ?? [])];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (seen.has(id) || !byId.has(id)) continue;
      seen.add(id);
      for (const next of byId.get(id)?.dependsOn ?? []) if (!seen.has(next)) stack.push(next);
    }
    return seen;
  };
}

/** Every step that needs `stepId`, directly or through others (not including `stepId`). */
export function dependentsOf(nodes: readonly GraphNode[], stepId: string): Set<string> {
  return dependentsLookup(nodes)(stepId);
}

/**
 * `dependentsOf` for many steps of one graph: the reverse edges are built once, and each
 * answer is computed once and remembered, so asking about T steps costs O(T * (steps + edges))
 * at most, and asking again is free.
 */
export function dependentsLookup(nodes: readonly GraphNode[]): (stepId: string) => Set<string> {
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      const list = dependents.get(dep);
      if (list) list.push(node.id);
      else dependents.set(dep, [node.id]);
    }
  }
  const memo = new Map<string, Set<string>>();
  return (stepId) => {
    const known = memo.get(stepId);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...(dependents.get(stepId) ?? [])];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (seen.has(id) || id === stepId) continue;
      seen.add(id);
      for (const next of dependents.get(id) ?? []) if (!seen.has(next)) stack.push(next);
    }
    memo.set(stepId, seen);
    return seen;
  };
}

/**
 * One cycle per group of mutually dependent steps (a strongly connected component of more than
 * one step), each as the ids in dependency order starting and ending with the step defined
 * first: `['a', 'b', 'c', 'a']` means a depends on b, b on c, c on a. Self-dependencies are left
 * to the caller (they read better as "depends on itself").
 */
export function findCycles(nodes: readonly GraphNode[]): string[][] {
  const order = new Map(nodes.map((n, i) => [n.id, i] as const));
  const edges = new Map(
    nodes.map((n) => [n.id, n.dependsOn.filter((d) => d !== n.id && order.has(d))] as const),
  );
  return stronglyConnected(
    nodes.map((n) => n.id),
    edges,
  )
    .filter((component) => component.length > 1)
    .map((component) => {
      const members = new Set(component);
      const start = [...component].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))[0] ?? '';
      return pathBack(start, members, edges, order);
    })
    .sort((a, b) => (order.get(a[0] ?? '') ?? 0) - (order.get(b[0] ?? '') ?? 0));
}

/** Tarjan's algorithm, iterative so a long chain of steps cannot overflow the stack. */
function stronglyConnected(ids: readonly string[], edges: ReadonlyMap<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame === undefined) break;
      const targets = edges.get(frame.id) ?? [];
      const target = targets[frame.next++];
      if (target !== undefined) {
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
          onStack.delete(id);
          component.push(id);
          if (id === frame.id) break;
        }
        components.push(component);
      }
    }
  }
  return components;
}

/** Shortest way from `start` back to itself inside one component (breadth-first). */
function pathBack(
  start: string,
  members: ReadonlySet<string>,
  edges: ReadonlyMap<string, string[]>,
  order: ReadonlyMap<string, number>,
): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] ?? '';
    const targets = [...(edges.get(id) ?? [])].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    for (const target of targets) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: string | undefined = id; at !== undefined && at !== start; at = previous.get(at)) {
          path.splice(1, 0, at);
        }
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, id);
        queue.push(target);
      }
    }
  }
  return [start, start]; // unreachable for a real component of two or more steps
}
