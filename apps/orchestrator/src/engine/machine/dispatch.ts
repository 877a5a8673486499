import {
  InvalidStoragePathError,
  jsonBytes,
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  type StepDispatch,
} from '@sandcastle/contracts';
import { dataKey } from '@sandcastle/storage';
import {
  renderPromptParts,
  renderStoragePath,
  TemplateTooLargeError,
  type StepDefinition,
} from '@sandcastle/workflow';
import { modelChainOf } from '../model-chain.util';
import { promptPartsOf } from '../prompt-parts';
import { holdsSlot, stepKey, type StepRow, byItemIndex } from '../run-state';
import { budgetSpent, stopForBudget } from './budget';
import type { MachineContext } from './context';
import { emitStep } from './events';
import { limitBreached } from './failure-policy';

/**
 * Dispatch: an attempt is prepared (prompt rendered, model chosen), takes one of the tenant's
 * slots or waits for one, and goes to the executors as a `step.dispatch` in the outbox. Nothing is
 * queued once the run ended or its budget is spent; a prompt, path or message above a limit fails
 * its step here (failure-policy.ts) rather than in the executor or the broker.
 */

/** Queues one attempt: renders its prompt (first attempt / fallback) and sends it, or lets it wait for a slot. */
export function queue(m: MachineContext, row: StepRow, attempt: number, fallback: boolean): void {
  if (m.runIsOver) return;
  if (budgetSpent(m)) {
    stopForBudget(m);
    return;
  }
  const step = m.stepDef(row.stepId);
  if (attempt === 1 || fallback !== row.isFallback || row.prompt === null) {
    const template = fallback && step.fallback ? step.fallback.prompt : step.prompt;
    try {
      const rendered = renderPromptParts(template, m.templateFor(row), { maxBytes: m.limits.maxPromptBytes });
      row.prompt = rendered.display;
      m.promptPieces.set(stepKey(row.stepId, row.itemIndex), rendered.pieces);
    } catch (err) {
      const which = fallback ? 'fallback prompt' : 'prompt';
      if (err instanceof InvalidStoragePathError) {
        row.attempt = attempt;
        row.isFallback = fallback;
        limitBreached(m, row, 'STORAGE_PATH_INVALID', `the ${which} reads storage at an ${err.message}`);
        return;
      }
      if (!(err instanceof TemplateTooLargeError)) throw err;
      row.attempt = attempt;
      row.isFallback = fallback;
      limitBreached(
        m,
        row,
        'PROMPT_TOO_LARGE',
        `the rendered ${which} is at least ${err.atLeast} bytes, above the limit of ${err.limit} (MAX_PROMPT_BYTES)`,
      );
      return;
    }
  }
  row.attempt = attempt;
  row.isFallback = fallback;
  row.model = fallback && step.fallback ? step.fallback.model : step.model;
  row.nextAttemptAt = null;
  // An attempt already in flight (a retry without delay) keeps its slot; any other needs one.
  if (!holdsSlot(row) && m.slots && !m.slots.canTake(row.waitingSince ?? m.now, m.keepsLane)) {
    waitForSlot(m, row);
    return;
  }
  send(m, row);
}

/**
 * The tenant is at its cap: the prepared attempt stays `pending` with `waitingSince` set until a
 * slot frees up (this run's next transition, or the reconciler's sweep).
 */
function waitForSlot(m: MachineContext, row: StepRow): void {
  m.setStatus(row, 'pending');
  row.deadlineAt = null;
  if (row.waitingSince === null) {
    row.waitingSince = m.now;
    m.effects.waitingForCapacity();
    m.touch(row);
    emitStep(m, row);
  }
  m.touch(row);
}

/** The capacity sweep: slots of the tenant freed up elsewhere go to this run's waiting attempts. */
export function dispatchWaiting(m: MachineContext): number {
  if (m.runIsOver) return 0;
  return resumeWaiting(m);
}

/** Dispatches this run's waiting attempts, oldest first, while the tenant has free slots. */
export function resumeWaiting(m: MachineContext): number {
  const waiting = [...m.steps.values()]
    .filter((r) => r.waitingSince !== null && r.status === 'pending')
    .sort((a, b) => a.waitingSince!.getTime() - b.waitingSince!.getTime() || byItemIndex(a, b));
  let count = 0;
  for (const row of waiting) {
    if (m.runIsOver) break;
    if (m.slots && !m.slots.canTake(row.waitingSince!, m.keepsLane)) break;
    if (budgetSpent(m)) {
      stopForBudget(m);
      break;
    }
    send(m, row);
    count++;
  }
  return count;
}

/** Puts a prepared attempt (attempt, prompt, model, fallback) in the queue: the dispatch goes to the outbox. */
function send(m: MachineContext, row: StepRow): void {
  const step = m.stepDef(row.stepId);
  const { attempt, isFallback: fallback } = row;
  const storage = storageFields(m, row, step, fallback);
  if (storage === null) return;
  m.setStatus(row, 'queued');
  row.waitingSince = null;
  row.queuedAt = m.now;
  row.nextAttemptAt = null;
  row.deadlineAt = new Date(
    m.now.getTime() + m.settings.queueAllowanceMs + step.timeout * 1000 + m.settings.lostAttemptGraceMs,
  );
  m.touch(row);
  const def = m.run.definition;
  const dispatch: StepDispatch = {
    v: MESSAGE_SCHEMA_VERSION,
    tenantId: m.run.tenantId,
    runId: m.run.id,
    stepId: row.stepId,
    itemIndex: row.itemIndex,
    attempt,
    prompt: row.prompt ?? '',
    model: row.model ?? step.model,
    maxTurns: step.maxTurns,
    timeoutSeconds: step.timeout,
    // The original sent no output format on fallback calls; a fallback answers in free text.
    outputSchema: fallback ? null : step.outputSchema,
    runtime: step.runtime ?? def.runtime,
    ...modelChainOf(step, def, fallback),
    sandstormUrl: def.sandstormUrl,
    simulation: { ...(def.simulation ?? {}), ...(step.simulation ?? {}) },
    isFallback: fallback,
    dispatchedAt: m.now.toISOString(),
    deadlineAt: row.deadlineAt.toISOString(),
    ...storage,
  };
  // The prompt is bounded, but the output schema and escaping add to it: a dispatch the broker
  // would refuse fails its step here rather than in the outbox.
  const dispatchBytes = jsonBytes(dispatch);
  if (dispatchBytes > m.limits.maxMessageBytes) {
    limitBreached(
      m,
      row,
      'PROMPT_TOO_LARGE',
      `the dispatch message would be ${dispatchBytes} bytes, above the broker's limit of ${m.limits.maxMessageBytes}`,
    );
    return;
  }
  m.effects.message({
    subject: m.settings.names.subjects.stepDispatch,
    msgId: messageIds.stepDispatch(m.run.id, row.stepId, dispatch.itemIndex, attempt),
    payload: dispatch,
    kind: 'stream',
  });
  emitStep(m, row);
}

/**
 * What the dispatch needs from storage: the prompt's deferred pieces (a retry or a resumed
 * waiter renders them again: same outputs, same pieces) and the `storage_write` target. A path
 * that renders unsafe fails the step with STORAGE_PATH_INVALID (null: nothing to send).
 */
function storageFields(
  m: MachineContext,
  row: StepRow,
  step: StepDefinition,
  fallback: boolean,
): Pick<StepDispatch, 'promptParts' | 'storageWrite'> | null {
  const key = stepKey(row.stepId, row.itemIndex);
  try {
    let pieces = m.promptPieces.get(key);
    if (pieces === undefined) {
      const template = fallback && step.fallback ? step.fallback.prompt : step.prompt;
      pieces = renderPromptParts(template, m.templateFor(row), { maxBytes: m.limits.maxPromptBytes }).pieces;
      m.promptPieces.set(key, pieces);
    }
    const fields: Pick<StepDispatch, 'promptParts' | 'storageWrite'> = {};
    if (pieces !== null) fields.promptParts = promptPartsOf(pieces, m.run.tenantId, step);
    if (step.storageWrite !== undefined) {
      const path = renderStoragePath(step.storageWrite, m.templateFor(row));
      fields.storageWrite = { key: dataKey(m.run.tenantId, path), path };
    }
    return fields;
  } catch (err) {
    if (!(err instanceof InvalidStoragePathError) && !(err instanceof TemplateTooLargeError)) throw err;
    const kind = err instanceof InvalidStoragePathError ? 'STORAGE_PATH_INVALID' : 'PROMPT_TOO_LARGE';
    limitBreached(
      m,
      row,
      kind,
      err instanceof InvalidStoragePathError ? `storage: ${err.message}` : err.message,
    );
    return null;
  }
}
