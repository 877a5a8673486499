import type { FieldProblem } from '@sandcastle/contracts';
import { findCycles, type GraphNode } from '../planning/step-graph.util';
import { didYouMean } from './did-you-mean.util';
import type { StepDraft } from './step.parser';

/**
 * Checks the dependency graph: duplicate ids, unknown and self dependencies, cycles. Returns the
 * graph the later checks should use: first occurrence of each id, known dependencies only.
 */
export function validateGraph(drafts: readonly StepDraft[], problems: FieldProblem[]): GraphNode[] {
  const firstIndex = new Map<string, number>();
  for (const draft of drafts) {
    if (draft.id === null) continue;
    const earlier = firstIndex.get(draft.id);
    if (earlier === undefined) firstIndex.set(draft.id, draft.index);
    else draft.reader.report('id', `duplicate step id '${draft.id}' (already used by steps[${earlier}])`);
  }
  const ids = [...firstIndex.keys()];

  const nodes: GraphNode[] = [];
  for (const draft of drafts) {
    for (const dep of draft.dependsOn) {
      if (dep === draft.id) draft.reader.reportAbout('depends_on', 'depends on itself');
      else if (!firstIndex.has(dep)) {
        draft.reader.reportAbout('depends_on', `depends on unknown step '${dep}'${didYouMean(dep, ids)}`);
      }
    }
    if (draft.id !== null && firstIndex.get(draft.id) === draft.index) {
      nodes.push({
        id: draft.id,
        dependsOn: draft.dependsOn.filter((d) => d !== draft.id && firstIndex.has(d)),
      });
    }
  }

  for (const cycle of findCycles(nodes)) {
    const start = cycle[0] ?? '';
    problems.push({
      field: `steps[${firstIndex.get(start) ?? 0}].depends_on`,
      message: `cycle: ${cycle.join(' -> ')} (each step depends on the next)`,
    });
  }
  return nodes;
}
