import type { RunStepEntity } from '@sandcastle/persistence';

/** The step ids of a run's definition snapshot, in the order they were written. */
export function definitionStepOrder(definition: Record<string, unknown>): string[] {
  const steps = definition['steps'];
  if (!Array.isArray(steps)) return [];
  return steps
    .map((step: unknown) =>
      typeof step === 'object' && step !== null ? (step as { id?: unknown }).id : undefined,
    )
    .filter((id): id is string => typeof id === 'string');
}

/**
 * The rows a run view shows, in order: per step of the definition (steps the definition does
 * not know come last, by id), its fan-out item rows by index — or, while it has none, its own
 * row. A plain step only has its own row; a fan-out step's own row stands in until items exist
 * (e.g. its list was empty, or it has not been expanded yet).
 */
export function selectStepRows(
  rows: readonly RunStepEntity[],
  stepOrder: readonly string[],
): RunStepEntity[] {
  const byStep = new Map<string, RunStepEntity[]>();
  for (const row of rows) {
    const group = byStep.get(row.stepId);
    if (group) group.push(row);
    else byStep.set(row.stepId, [row]);
  }
  const known = new Set(stepOrder);
  const unknown = [...byStep.keys()].filter((id) => !known.has(id)).sort();
  const selected: RunStepEntity[] = [];
  for (const stepId of [...stepOrder, ...unknown]) {
    const group = byStep.get(stepId);
    if (!group) continue;
    const items = group
      .filter((r): r is RunStepEntity & { itemIndex: number } => r.itemIndex !== null)
      .sort((a, b) => a.itemIndex - b.itemIndex);
    if (items.length > 0) selected.push(...items);
    else selected.push(...group.filter((r) => r.itemIndex === null));
  }
  return selected;
}
