import { addUsd, isTerminalStepStatus } from '@sandcastle/contracts';
import { fanOutReadsOffloaded, WORKFLOW_DEFAULTS, type StepDefinition } from '@sandcastle/workflow';
import { newStepRow, type StepRow } from '../run-state';
import type { MachineContext } from './context';
import { queue } from './dispatch';
import { emitStep } from './events';
import { limitBreached } from './failure-policy';

/**
 * Fan-out (`parallel_over`): a step that runs once per item of a list. It gets one row per item
 * plus its own step row, which never runs an attempt: it aggregates the items' outputs, in item
 * order, once every item is final. Items are dispatched a few at a time (`max_concurrency`).
 */

/** A ready fan-out step: checks the list, then creates every item's row (pending, attempt 0). */
export function beginFanOut(m: MachineContext, row: StepRow, step: StepDefinition): void {
  const over = step.parallelOver!;
  if (fanOutReadsOffloaded(over, m.template())) {
    row.startedAt = m.now;
    limitBreached(
      m,
      row,
      'FAN_OUT_TOO_LARGE',
      `parallel_over '${over}' reads an output stored as an object (above MAX_STEP_OUTPUT_BYTES); fan out over a smaller list`,
    );
    return;
  }
  const items = m.fanOutItemsOf(step.id);
  if (items.length > m.limits.maxFanOutItems) {
    row.startedAt = m.now;
    limitBreached(
      m,
      row,
      'FAN_OUT_TOO_LARGE',
      `parallel_over '${over}' has ${items.length} items, above the limit of ${m.limits.maxFanOutItems} (MAX_FAN_OUT_ITEMS)`,
    );
    return;
  }
  // The step's own row never holds a tenant slot (holdsSlot): no setStatus needed.
  row.itemCount = items.length;
  row.status = 'running';
  row.startedAt = m.now;
  m.touch(row);
  if (items.length === 0) {
    row.status = 'completed';
    row.output = [];
    row.completedAt = m.now;
    m.checkpoint(row);
    emitStep(m, row);
    m.setOutput(step.id, []);
    return;
  }
  emitStep(m, row);
  // Every item gets its row now; fillFanOut dispatches them a few at a time.
  items.forEach((_item, index) => {
    const itemRow = newStepRow(step.id, index);
    itemRow.rowVersion = m.row(step.id, index)?.rowVersion ?? -1;
    m.putRow(itemRow);
    m.touch(itemRow);
  });
}

/**
 * Dispatches a running fan-out's next items, in item order, until `max_concurrency` of them
 * are in flight. An item is in flight from its first attempt until it is final (a retry
 * waiting for its backoff, or an attempt waiting for a tenant slot, keeps its place), so a
 * budget or a failure stops a fan-out after at most that many in-flight items.
 */
export function fillFanOut(m: MachineContext, step: StepDefinition): void {
  const limit = fanOutLimit(m, step);
  const items = m.itemRows(step.id);
  let inFlight = items.filter((i) => i.attempt > 0 && !isTerminalStepStatus(i.status)).length;
  for (const item of items) {
    if (inFlight >= limit || m.runIsOver) return;
    if (item.attempt !== 0 || item.status !== 'pending') continue;
    queue(m, item, 1, false);
    inFlight++;
  }
}

/** A fan-out step's items in flight at once: the step's `max_concurrency`, capped by the operator. */
function fanOutLimit(m: MachineContext, step: StepDefinition): number {
  const wanted = step.maxConcurrency ?? WORKFLOW_DEFAULTS.maxConcurrency;
  const cap = m.settings.maxFanOutConcurrency ?? Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(wanted, cap));
}

/**
 * A row reached completed, skipped or (dead-lettered) failed: it takes its checkpoint place and
 * its output is recorded; an item's output waits for the last item, which closes the fan-out step
 * with every item's output (null for an item that did not complete) and their summed cost.
 */
export function rowDone(m: MachineContext, row: StepRow): void {
  m.checkpoint(row);
  if (row.itemIndex === null) {
    m.setOutput(row.stepId, row.status === 'completed' ? row.output : null);
    return;
  }
  const parent = m.stepRow(row.stepId);
  const items = m.itemRows(row.stepId);
  if (items.length < (parent.itemCount ?? 0) || !items.every((i) => isTerminalStepStatus(i.status))) return;
  parent.status = 'completed';
  parent.output = items.map((i) => (i.status === 'completed' ? i.output : null));
  parent.costUsd = items.reduce((sum, i) => addUsd(sum, i.costUsd), 0);
  parent.completedAt = m.now;
  m.checkpoint(parent);
  m.touch(parent);
  emitStep(m, parent);
  m.setOutput(row.stepId, parent.output);
}
