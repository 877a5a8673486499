import { randomUUID } from 'node:crypto';
import {
  addCount,
  addUsd,
  boundedOutput,
  InvalidStoragePathError,
  isTerminalRunStatus,
  jsonBytes,
  isTerminalStepStatus,
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  type NatsNames,
  type RunEvent,
  type RunEventType,
  type RunStatus,
  type StepDispatch,
  type StepResult,
  type EngineStepErrorKind,
  type StepStarted,
} from '@sandcastle/contracts';
import { DEFAULT_LIMITS } from '@sandcastle/config';
import { modelChainOf } from './model-chain.util';
import { approvalData, type ApprovalRequest, type DecidedApproval } from './approval-step.util';
import {
  descendantsOf,
  fanOutItems,
  fanOutReadsOffloaded,
  readySteps,
  renderPromptParts,
  renderTemplate,
  renderStoragePath,
  retryDelayMs,
  TemplateTooLargeError,
  withFanOutItem,
  type ApprovalDefinition,
  type PromptPiece,
  type StepDefinition,
  type StepPhase,
  type TemplateContext,
  WORKFLOW_DEFAULTS,
} from '@sandcastle/workflow';
import {
  byItemIndex,
  holdsSlot,
  newStepRow,
  stepKey,
  type DeadLetter,
  type EngineMessage,
  type RunRow,
  type StepRow,
} from './run-state';
import type { TenantSlots } from './tenant-slots';
import { dataKey } from '@sandcastle/storage';
import { promptPartsOf } from './prompt-parts';

export interface MachineSettings {
  names: NatsNames;
  /** Extra time after a step's timeout before an attempt without a result is presumed lost. */
  lostAttemptGraceMs: number;
  /** How long a dispatched attempt may wait in the queue before it counts toward being lost. */
  queueAllowanceMs: number;
  /** The operator's cap on a fan-out step's `max_concurrency` (MAX_FAN_OUT_CONCURRENCY). */
  maxFanOutConcurrency?: number;
  /** Size limits (libs/config LIMITS_ENV); unset ones take their defaults. */
  limits?: Partial<MachineLimits>;
}

export interface MachineLimits {
  /** MAX_FAN_OUT_ITEMS: a parallel_over step over more items fails with FAN_OUT_TOO_LARGE. */
  maxFanOutItems: number;
  /** MAX_PROMPT_BYTES: a prompt that renders larger fails its step with PROMPT_TOO_LARGE. */
  maxPromptBytes: number;
  /** MAX_EVENT_OUTPUT_BYTES: larger outputs travel in events as a truncated preview. */
  maxEventOutputBytes: number;
  /** The broker's max payload (minus room for headers): no dispatch is queued above it. */
  maxMessageBytes: number;
}

/** NATS' default max_payload (1 MiB) less room for headers, when the server's is not known. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 - 16 * 1024;

export function machineLimits(overrides: Partial<MachineLimits> = {}): MachineLimits {
  return {
    maxFanOutItems: overrides.maxFanOutItems ?? DEFAULT_LIMITS.MAX_FAN_OUT_ITEMS,
    maxPromptBytes: overrides.maxPromptBytes ?? DEFAULT_LIMITS.MAX_PROMPT_BYTES,
    maxEventOutputBytes: overrides.maxEventOutputBytes ?? DEFAULT_LIMITS.MAX_EVENT_OUTPUT_BYTES,
    maxMessageBytes: overrides.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  };
}

/**
 * The run state machine, free of I/O. The engine loads a run and its step rows under the run's
 * row lock, feeds one event into a machine (start, an attempt result, a retry coming due, …),
 * then persists what the machine changed and publishes what it queued — in that order, so a
 * crash anywhere leads to redelivery of the same input and the same outcome.
 *
 * Steps start as soon as their own dependencies are done (not layer by layer); a fan-out step
 * gets one row per item plus its step row, which aggregates the items' outputs in item order.
 */
export class RunMachine {
  readonly outbox: EngineMessage[] = [];
  readonly dirtySteps = new Set<string>();
  runDirty = false;
  /** Set when this transition ended the run, for metrics and executor abort signals. */
  finishedWith: RunStatus | null = null;
  abortInFlight = false;
  /** Terminal statuses reached by steps and fan-out items in this transition (for metrics). */
  readonly finishedSteps: string[] = [];
  /** Steps that finally failed in a workflow with `on_failure.dead_letter` (stored with the transition). */
  readonly deadLetters: DeadLetter[] = [];
  /** The run crossed 80 % of its budget in this transition (the engine logs a warning). */
  budgetWarning = false;
  /** Attempts that started waiting for a free slot of the tenant's cap in this transition. */
  waitsForCapacity = 0;
  /** Approval steps that began waiting in this transition (the engine stores them). */
  readonly approvalRequests: ApprovalRequest[] = [];
  /**
   * Set when this transition completed a run that has `on_complete.storage_path`: the engine
   * stores the outputs there before it commits, and calls `completionWriteFailed` if it cannot,
   * so a run is never `completed` with its storage path unsaved.
   */
  completionWrite: { key: string; path: string } | null = null;
  private completionEventsAt = -1;
  /** Prompts rendered in this transition that read storage (by row), reused by send(). */
  private readonly promptPieces = new Map<string, PromptPiece[] | null>();
  /** Failed attempts given another try in this transition (for metrics). */
  retriesScheduled = 0;
  /** This transition stopped the run because its budget was spent (for metrics). */
  stoppedForBudget = false;
  private readonly steps = new Map<string, StepRow>();
  private readonly limits: MachineLimits;
  /**
   * The template context and each fan-out step's items, computed once per transition (and again
   * only after an output changes): queueing 1,000 items looks the list up once, not 1,000 times.
   */
  private cachedContext: TemplateContext | null = null;
  private readonly cachedItems = new Map<string, readonly unknown[]>();

  /**
   * `slots`: the tenant's cap on attempts in flight, shared by the machines of one transaction
   * (null: no cap). An attempt that finds no slot stays `pending` with `waitingSince` set and is
   * dispatched when a slot frees up (this run's next transition, or the reconciler's sweep).
   */
  constructor(
    readonly run: RunRow,
    rows: StepRow[],
    private readonly settings: MachineSettings,
    private readonly now: Date = new Date(),
    private readonly slots: TenantSlots | null = null,
  ) {
    for (const row of rows) this.steps.set(stepKey(row.stepId, row.itemIndex), row);
    this.limits = machineLimits(settings.limits);
  }

  get stepRows(): StepRow[] {
    return [...this.steps.values()];
  }

  changedStepRows(): StepRow[] {
    return [...this.dirtySteps].map((k) => this.steps.get(k)!).filter(Boolean);
  }

  // ---------------------------------------------------------------- entry points

  /**
   * queued → running: create a row per step and dispatch every step without dependencies. A
   * replay or fork passes its parent's step rows: every step outside `replay_from_step` and its
   * dependents that the parent completed (or skipped) is restored from it at no cost, and never
   * dispatched.
   */
  start(parent?: { runId: string; rows: StepRow[] }): boolean {
    if (this.run.status !== 'queued') return false;
    this.run.status = 'running';
    this.run.startedAt = this.now;
    this.runDirty = true;
    for (const step of this.run.definition.steps) {
      const key = stepKey(step.id, null);
      if (!this.steps.has(key)) {
        this.steps.set(key, newStepRow(step.id, null));
        this.dirtySteps.add(key);
      }
    }
    this.emit('status', { run_id: this.run.id, status: this.run.status, started_at: this.now.toISOString() });
    if (parent && this.run.replayFromStep) this.restore(parent.runId, parent.rows, this.run.replayFromStep);
    this.advance();
    return true;
  }

  /** Copies the parent's finished steps that do not need to run again (Time Machine). */
  private restore(parentRunId: string, parentRows: StepRow[], fromStep: string): void {
    const rerun = descendantsOf(this.run.definition, fromStep);
    rerun.add(fromStep);
    const byStep = new Map<string, StepRow[]>();
    for (const row of parentRows) byStep.set(row.stepId, [...(byStep.get(row.stepId) ?? []), row]);
    for (const step of this.run.definition.steps) {
      if (rerun.has(step.id)) continue;
      const rows = byStep.get(step.id) ?? [];
      const parentStep = rows.find((r) => r.itemIndex === null);
      if (!parentStep || (parentStep.status !== 'completed' && parentStep.status !== 'skipped')) continue;
      for (const source of rows.sort(byItemIndex)) {
        const row: StepRow = {
          ...newStepRow(source.stepId, source.itemIndex),
          itemCount: source.itemCount,
          status: source.status,
          attempt: source.attempt,
          output: source.output,
          error: source.error,
          errorKind: source.errorKind,
          model: source.model,
          runtime: source.runtime,
          prompt: source.prompt,
          isFallback: source.isFallback,
          startedAt: this.now,
          completedAt: this.now,
          restoredFrom: parentRunId,
          // Replaces the row start() made; a stored row keeps its write counter (stale-write guard).
          rowVersion: this.steps.get(stepKey(source.stepId, source.itemIndex))?.rowVersion ?? -1,
        };
        this.steps.set(stepKey(row.stepId, row.itemIndex), row);
        this.checkpoint(row);
        this.emitStep(row);
      }
      this.setOutput(step.id, parentStep.status === 'completed' ? parentStep.output : null);
    }
  }

  /** A user stopped the run: nothing more is dispatched and in-flight attempts are aborted. */
  cancel(reason: string): 'cancelled' | 'finished' {
    if (isTerminalRunStatus(this.run.status)) return 'finished';
    this.stopRun('cancelled', reason);
    return 'cancelled';
  }

  /**
   * Applies one attempt's result. The caller has already recorded the attempt (its unique key
   * makes this run once per attempt). A result that no longer matches the row (the run ended,
   * or the attempt was declared lost and retried) only adds its cost: the money was spent.
   */
  applyResult(result: StepResult): 'applied' | 'stale' {
    const row = this.addCost(result);
    if (
      !row ||
      isTerminalRunStatus(this.run.status) ||
      row.attempt !== result.attempt ||
      (row.status !== 'queued' && row.status !== 'running')
    ) {
      return 'stale';
    }
    const step = this.stepDef(row.stepId);
    row.model = result.model;
    row.runtime = result.runtime;
    row.executorId = result.executorId;
    row.startedAt = new Date(result.startedAt);
    row.durationSeconds = Math.max(0, Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
    row.deadlineAt = null;
    if (result.outcome === 'completed') {
      this.setStatus(row, 'completed');
      row.output = result.output ?? null;
      row.error = null;
      row.errorKind = null;
      row.completedAt = new Date(result.finishedAt);
      this.emitStep(row);
      this.rowDone(row);
    } else {
      row.error = result.error ?? 'attempt failed';
      row.errorKind = result.errorKind ?? 'runtime_error';
      this.attemptFailed(row, step);
    }
    if (this.checkBudget()) this.advance();
    return 'applied';
  }

  /**
   * The real result of an attempt the reconciler had declared lost (its synthetic record was
   * replaced once, see recordAttempts): the money was spent, so its cost and tokens count for the
   * step and the run, but the state moved on long ago and does not change.
   */
  applyLateResult(result: StepResult): 'stale' {
    this.addCost(result);
    return 'stale';
  }

  /** Adds an attempt's cost and usage to the run and to its row; returns the row. */
  private addCost(result: StepResult): StepRow | undefined {
    const row = this.steps.get(stepKey(result.stepId, result.itemIndex));
    this.run.totalCostUsd = addUsd(this.run.totalCostUsd, result.costUsd);
    // Counters saturate at the integer column's maximum instead of making the row unstorable.
    this.run.totalInputTokens = addCount(this.run.totalInputTokens, result.usage.inputTokens);
    this.run.totalOutputTokens = addCount(this.run.totalOutputTokens, result.usage.outputTokens);
    this.runDirty = true;
    if (row) {
      row.costUsd = addUsd(row.costUsd, result.costUsd);
      row.inputTokens = addCount(row.inputTokens, result.usage.inputTokens);
      row.outputTokens = addCount(row.outputTokens, result.usage.outputTokens);
      row.numTurns = addCount(row.numTurns, result.numTurns);
      this.touch(row);
    }
    return row;
  }

  /** An executor began an attempt (or began it again after another executor died). */
  applyStarted(msg: StepStarted): boolean {
    const row = this.steps.get(stepKey(msg.stepId, msg.itemIndex));
    if (!row || isTerminalRunStatus(this.run.status) || row.attempt !== msg.attempt) return false;
    if (row.status !== 'queued' && row.status !== 'running') return false;
    const firstStart = row.status === 'queued';
    const step = this.stepDef(row.stepId);
    this.setStatus(row, 'running');
    row.executorId = msg.executorId;
    row.runtime = msg.runtime;
    if (firstStart) row.startedAt = new Date(msg.startedAt);
    row.deadlineAt = new Date(this.now.getTime() + step.timeout * 1000 + this.settings.lostAttemptGraceMs);
    this.touch(row);
    if (firstStart) this.emitStep(row);
    return true;
  }

  /** Dispatches retries whose backoff has elapsed. */
  dispatchDueRetries(): number {
    if (isTerminalRunStatus(this.run.status)) return 0;
    let count = 0;
    for (const row of this.steps.values()) {
      if (row.status === 'pending' && row.nextAttemptAt && row.nextAttemptAt <= this.now) {
        this.queue(row, row.attempt + 1, row.isFallback);
        count++;
      }
    }
    return count;
  }

  /** Dispatches attempts waiting for a slot of the tenant's cap, oldest first, while slots are free. */
  dispatchWaiting(): number {
    if (isTerminalRunStatus(this.run.status)) return 0;
    return this.resumeWaiting();
  }

  /** Attempts past their deadline: results the caller records and applies as failures. */
  lostAttempts(executorId: string): StepResult[] {
    if (isTerminalRunStatus(this.run.status)) return [];
    const lost: StepResult[] = [];
    for (const row of this.steps.values()) {
      if (
        (row.status === 'queued' || row.status === 'running') &&
        row.deadlineAt &&
        row.deadlineAt < this.now
      ) {
        const startedAt = (row.startedAt ?? row.queuedAt ?? this.now).toISOString();
        lost.push({
          v: MESSAGE_SCHEMA_VERSION,
          tenantId: this.run.tenantId,
          runId: this.run.id,
          stepId: row.stepId,
          itemIndex: row.itemIndex,
          attempt: row.attempt,
          outcome: 'failed',
          output: null,
          error:
            row.status === 'queued'
              ? 'attempt lost: no executor started it before its deadline'
              : 'attempt lost: no result before its timeout plus grace period (executor died?)',
          errorKind: 'lost',
          costUsd: 0,
          usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
          numTurns: 0,
          model: row.model ?? this.stepDef(row.stepId).model,
          runtime: row.runtime ?? 'simulated',
          startedAt,
          finishedAt: this.now.toISOString(),
          executorId,
        });
      }
    }
    return lost;
  }

  // ---------------------------------------------------------------- transitions

  private attemptFailed(row: StepRow, step: StepDefinition): void {
    if (!row.isFallback && row.attempt < step.retry.maxAttempts) {
      this.retriesScheduled++;
      const delay = retryDelayMs(step.retry, row.attempt);
      if (delay <= 0) {
        this.queue(row, row.attempt + 1, false);
      } else {
        this.setStatus(row, 'pending');
        row.nextAttemptAt = new Date(this.now.getTime() + delay);
        this.touch(row);
        this.emitStep(row);
      }
      return;
    }
    if (!row.isFallback && step.retry.onFailure === 'fallback' && step.fallback && step.fallback.prompt) {
      this.queue(row, row.attempt + 1, true);
      return;
    }
    this.finallyFailed(row, step);
  }

  /**
   * A limit the engine itself enforces (prompt size, fan-out size) stops the step or item before
   * anything is dispatched. Retrying would breach it again, so it fails at once and then goes
   * the way any finally failed step goes (dead letter, abort or skip), with the kind on the row.
   */
  private limitBreached(row: StepRow, kind: EngineStepErrorKind, error: string): void {
    row.error = error;
    row.errorKind = kind;
    row.nextAttemptAt = null;
    row.deadlineAt = null;
    this.finallyFailed(row, this.stepDef(row.stepId));
  }

  /** After the last attempt (and fallback) failed: dead letter, abort the run, or skip. */
  private finallyFailed(row: StepRow, step: StepDefinition): void {
    row.completedAt = this.now;
    if (this.run.definition.onFailure?.deadLetter) {
      // The dead letter queue takes precedence over abort: the item is parked and the run goes on.
      this.setStatus(row, 'failed');
      row.output = null;
      this.touch(row);
      this.emitStep(row);
      this.deadLetters.push({
        stepId: row.stepId,
        itemIndex: row.itemIndex,
        error: row.error ?? 'unknown error',
        attempts: row.attempt,
        inputData: this.itemInput(row),
      });
      this.rowDone(row);
      return;
    }
    if (step.retry.onFailure === 'abort') {
      this.setStatus(row, 'failed');
      this.touch(row);
      this.emitStep(row);
      const where = row.itemIndex === null ? '' : ` item ${row.itemIndex}`;
      this.failRun(`Step '${row.stepId}'${where} failed: ${row.error ?? 'unknown error'}`);
      return;
    }
    // `skip`, or a `fallback` whose fallback call failed too: the step yields null, the run goes on.
    this.setStatus(row, 'skipped');
    row.output = null;
    this.touch(row);
    this.emitStep(row);
    this.rowDone(row);
  }

  /** A row reached completed/skipped: record its output, and close a fan-out step when all items are in. */
  private rowDone(row: StepRow): void {
    this.checkpoint(row);
    if (row.itemIndex === null) {
      this.setOutput(row.stepId, row.status === 'completed' ? row.output : null);
      return;
    }
    const parent = this.steps.get(stepKey(row.stepId, null))!;
    const items = this.itemRows(row.stepId);
    if (items.length < (parent.itemCount ?? 0) || !items.every((i) => isTerminalStepStatus(i.status))) return;
    parent.status = 'completed';
    parent.output = items.map((i) => (i.status === 'completed' ? i.output : null));
    parent.costUsd = items.reduce((sum, i) => addUsd(sum, i.costUsd), 0);
    parent.completedAt = this.now;
    this.checkpoint(parent);
    this.touch(parent);
    this.emitStep(parent);
    this.setOutput(row.stepId, parent.output);
  }

  /** Starts every step whose dependencies are done, repeating while steps finish instantly. */
  private advance(): void {
    if (isTerminalRunStatus(this.run.status)) return;
    // Attempts that already wait for a slot go before anything new of this run.
    this.resumeWaiting();
    for (;;) {
      if (isTerminalRunStatus(this.run.status)) return;
      const ready = readySteps(this.run.definition, this.phases());
      if (ready.length === 0) break;
      for (const stepId of ready) this.begin(stepId);
    }
    for (const step of this.run.definition.steps) {
      if (isTerminalRunStatus(this.run.status)) return;
      if (step.parallelOver && this.steps.get(stepKey(step.id, null))?.status === 'running') {
        this.fillFanOut(step);
      }
    }
    const rows = this.run.definition.steps.map((s) => this.steps.get(stepKey(s.id, null))!);
    if (rows.every((r) => r.status === 'completed' || r.status === 'skipped' || r.status === 'failed')) {
      this.complete();
      return;
    }
    this.syncWaiting();
  }

  // ---------------------------------------------------------------- approvals

  /**
   * An approval step became ready: it waits (no dispatch, no executor slot) with its message
   * rendered and its data resolved now, from the pinned definition and the outputs so far. The
   * engine stores the request in `approvals` in the same transaction.
   */
  private requestApproval(row: StepRow, step: StepDefinition, approval: ApprovalDefinition): void {
    let message: string;
    try {
      message = renderTemplate(step.prompt, this.context(), { maxBytes: this.limits.maxPromptBytes });
    } catch (err) {
      if (!(err instanceof TemplateTooLargeError)) throw err;
      row.startedAt = this.now;
      this.limitBreached(
        row,
        'PROMPT_TOO_LARGE',
        `the rendered approval message is at least ${err.atLeast} bytes, above the limit of ${err.limit} (MAX_PROMPT_BYTES)`,
      );
      return;
    }
    const data = approvalData(step, approval, this.context());
    const expiresAt =
      approval.timeoutSeconds === null ? null : new Date(this.now.getTime() + approval.timeoutSeconds * 1000);
    this.setStatus(row, 'waiting');
    row.attempt = 1;
    row.prompt = message;
    row.startedAt = this.now;
    row.deadlineAt = expiresAt;
    this.touch(row);
    this.emitStep(row);
    this.approvalRequests.push({
      stepId: row.stepId,
      message,
      data,
      allowEdit: approval.allowEdit,
      onTimeout: approval.onTimeout,
      expiresAt,
    });
    this.emit('approval', {
      run_id: this.run.id,
      workflow_name: this.run.workflowName,
      step_id: row.stepId,
      status: 'pending',
      message,
      ...boundedOutput(data, this.limits.maxEventOutputBytes),
      allow_edit: approval.allowEdit,
      expires_at: expiresAt?.toISOString() ?? null,
      on_timeout: approval.onTimeout,
    });
  }

  /**
   * Applies an approval decided in `approvals` (by a person, or by its timeout). Stale when the
   * step no longer waits (the run ended, or the decision was applied before): the decision row
   * is the single source of truth and was taken exactly once, so applying it twice changes nothing.
   */
  decideApproval(decision: DecidedApproval): 'applied' | 'stale' {
    const row = this.steps.get(stepKey(decision.stepId, null));
    if (!row || isTerminalRunStatus(this.run.status) || row.status !== 'waiting') return 'stale';
    row.deadlineAt = null;
    row.completedAt = this.now;
    row.durationSeconds = row.startedAt ? (this.now.getTime() - row.startedAt.getTime()) / 1000 : null;
    const by = decision.decidedBy;
    this.emit('approval', {
      run_id: this.run.id,
      step_id: decision.stepId,
      status: decision.status,
      decided_by: by,
      decided_at: decision.decidedAt.toISOString(),
      comment: decision.comment,
    });
    if (decision.status === 'rejected') {
      row.error = `rejected by ${by}${decision.comment ? `: ${decision.comment}` : ''}`;
      row.errorKind = 'APPROVAL_REJECTED';
      this.setStatus(row, 'failed');
      this.touch(row);
      this.emitStep(row);
      this.failRun(`Step '${decision.stepId}' was ${row.error}`);
      return 'applied';
    }
    this.setStatus(row, decision.status === 'approved' ? 'completed' : 'skipped');
    row.output = decision.status === 'approved' ? decision.output : null;
    this.touch(row);
    this.emitStep(row);
    this.rowDone(row);
    this.advance();
    return 'applied';
  }

  /**
   * `waiting` while approvals wait and nothing else is in flight or due (so a run paused for a
   * person shows as such), `running` as soon as anything moves again.
   */
  private syncWaiting(): void {
    if (this.run.status !== 'running' && this.run.status !== 'waiting') return;
    let waiting = false;
    let active = false;
    for (const row of this.steps.values()) {
      if (row.status === 'waiting') waiting = true;
      else if (holdsSlot(row) || (row.status === 'pending' && (row.nextAttemptAt || row.waitingSince)))
        active = true;
    }
    const next: RunStatus = waiting && !active ? 'waiting' : 'running';
    if (next === this.run.status) return;
    this.run.status = next;
    this.runDirty = true;
    this.emit('status', { run_id: this.run.id, status: next });
  }

  private begin(stepId: string): void {
    // An earlier step of the same advance() may have ended the run (abort, budget).
    if (isTerminalRunStatus(this.run.status)) return;
    const step = this.stepDef(stepId);
    const row = this.steps.get(stepKey(stepId, null))!;
    if (step.approval) {
      this.requestApproval(row, step, step.approval);
      return;
    }
    if (!step.parallelOver) {
      this.queue(row, 1, false);
      return;
    }
    if (fanOutReadsOffloaded(step.parallelOver, this.context())) {
      row.startedAt = this.now;
      this.limitBreached(
        row,
        'FAN_OUT_TOO_LARGE',
        `parallel_over '${step.parallelOver}' reads an output stored as an object (above MAX_STEP_OUTPUT_BYTES); fan out over a smaller list`,
      );
      return;
    }
    const items = this.fanOutItemsOf(stepId);
    if (items.length > this.limits.maxFanOutItems) {
      const max = this.limits.maxFanOutItems;
      row.startedAt = this.now;
      this.limitBreached(
        row,
        'FAN_OUT_TOO_LARGE',
        `parallel_over '${step.parallelOver}' has ${items.length} items, above the limit of ${max} (MAX_FAN_OUT_ITEMS)`,
      );
      return;
    }
    row.itemCount = items.length;
    row.status = 'running';
    row.startedAt = this.now;
    this.touch(row);
    if (items.length === 0) {
      row.status = 'completed';
      row.output = [];
      row.completedAt = this.now;
      this.checkpoint(row);
      this.emitStep(row);
      this.setOutput(stepId, []);
      return;
    }
    this.emitStep(row);
    // Every item gets its row now (pending, attempt 0); fillFanOut dispatches them a few at a time.
    items.forEach((_item, index) => {
      const itemRow = newStepRow(stepId, index);
      itemRow.rowVersion = this.steps.get(stepKey(stepId, index))?.rowVersion ?? -1;
      this.steps.set(stepKey(stepId, index), itemRow);
      this.touch(itemRow);
    });
  }

  /** A fan-out step's items in flight at once: the step's `max_concurrency`, capped by the operator. */
  private fanOutLimit(step: StepDefinition): number {
    const wanted = step.maxConcurrency ?? WORKFLOW_DEFAULTS.maxConcurrency;
    const cap = this.settings.maxFanOutConcurrency ?? Number.POSITIVE_INFINITY;
    return Math.max(1, Math.min(wanted, cap));
  }

  /**
   * Dispatches a running fan-out's next items, in item order, until `max_concurrency` of them
   * are in flight. An item is in flight from its first attempt until it is final (a retry
   * waiting for its backoff, or an attempt waiting for a tenant slot, keeps its place), so a
   * budget or a failure stops a fan-out after at most that many in-flight items.
   */
  private fillFanOut(step: StepDefinition): void {
    const limit = this.fanOutLimit(step);
    const items = this.itemRows(step.id);
    let inFlight = items.filter((i) => i.attempt > 0 && !isTerminalStepStatus(i.status)).length;
    for (const item of items) {
      if (inFlight >= limit || isTerminalRunStatus(this.run.status)) return;
      if (item.attempt !== 0 || item.status !== 'pending') continue;
      this.queue(item, 1, false);
      inFlight++;
    }
  }

  /** Queues one attempt: renders its prompt (first attempt / fallback) and adds the dispatch to the outbox. */
  private queue(row: StepRow, attempt: number, fallback: boolean): void {
    if (isTerminalRunStatus(this.run.status)) return;
    if (this.budgetSpent()) {
      this.stopForBudget();
      return;
    }
    const step = this.stepDef(row.stepId);
    if (attempt === 1 || fallback !== row.isFallback || row.prompt === null) {
      const template = fallback && step.fallback ? step.fallback.prompt : step.prompt;
      try {
        const rendered = renderPromptParts(template, this.contextFor(row), {
          maxBytes: this.limits.maxPromptBytes,
        });
        row.prompt = rendered.display;
        this.promptPieces.set(stepKey(row.stepId, row.itemIndex), rendered.pieces);
      } catch (err) {
        const which = fallback ? 'fallback prompt' : 'prompt';
        if (err instanceof InvalidStoragePathError) {
          row.attempt = attempt;
          row.isFallback = fallback;
          this.limitBreached(row, 'STORAGE_PATH_INVALID', `the ${which} reads storage at an ${err.message}`);
          return;
        }
        if (!(err instanceof TemplateTooLargeError)) throw err;
        row.attempt = attempt;
        row.isFallback = fallback;
        this.limitBreached(
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
    if (!holdsSlot(row) && this.slots && !this.slots.canTake(row.waitingSince ?? this.now)) {
      this.waitForSlot(row);
      return;
    }
    this.send(row);
  }

  /** The tenant is at its cap: the prepared attempt stays pending until a slot frees up. */
  private waitForSlot(row: StepRow): void {
    this.setStatus(row, 'pending');
    row.deadlineAt = null;
    if (row.waitingSince === null) {
      row.waitingSince = this.now;
      this.waitsForCapacity++;
      this.touch(row);
      this.emitStep(row);
    }
    this.touch(row);
  }

  /** Dispatches this run's waiting attempts, oldest first, while the tenant has free slots. */
  private resumeWaiting(): number {
    const waiting = [...this.steps.values()]
      .filter((r) => r.waitingSince !== null && r.status === 'pending')
      .sort((a, b) => a.waitingSince!.getTime() - b.waitingSince!.getTime() || byItemIndex(a, b));
    let count = 0;
    for (const row of waiting) {
      if (isTerminalRunStatus(this.run.status)) break;
      if (this.slots && !this.slots.canTake(row.waitingSince!)) break;
      if (this.budgetSpent()) {
        this.stopForBudget();
        break;
      }
      this.send(row);
      count++;
    }
    return count;
  }

  /** Puts a prepared attempt (attempt, prompt, model, fallback) in the queue: the dispatch goes to the outbox. */
  private send(row: StepRow): void {
    const step = this.stepDef(row.stepId);
    const attempt = row.attempt;
    const fallback = row.isFallback;
    const storage = this.storageFields(row, step, fallback);
    if (storage === null) return;
    this.setStatus(row, 'queued');
    row.waitingSince = null;
    row.queuedAt = this.now;
    row.nextAttemptAt = null;
    row.deadlineAt = new Date(
      this.now.getTime() +
        this.settings.queueAllowanceMs +
        step.timeout * 1000 +
        this.settings.lostAttemptGraceMs,
    );
    this.touch(row);
    const def = this.run.definition;
    const dispatch: StepDispatch = {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId: this.run.tenantId,
      runId: this.run.id,
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
      dispatchedAt: this.now.toISOString(),
      deadlineAt: row.deadlineAt.toISOString(),
      ...storage,
    };
    // The prompt is bounded, but the output schema and escaping add to it: a dispatch the broker
    // would refuse fails its step here rather than in the outbox.
    const dispatchBytes = jsonBytes(dispatch);
    if (dispatchBytes > this.limits.maxMessageBytes) {
      this.limitBreached(
        row,
        'PROMPT_TOO_LARGE',
        `the dispatch message would be ${dispatchBytes} bytes, above the broker's limit of ${this.limits.maxMessageBytes}`,
      );
      return;
    }
    this.outbox.push({
      subject: this.settings.names.subjects.stepDispatch,
      msgId: messageIds.stepDispatch(this.run.id, row.stepId, dispatch.itemIndex, attempt),
      payload: dispatch,
      kind: 'stream',
    });
    this.emitStep(row);
  }

  failRun(error: string): void {
    this.stopRun('failed', error);
  }

  /**
   * What the dispatch needs from storage: the prompt's deferred pieces (a retry or a resumed
   * waiter renders them again: same outputs, same pieces) and the `storage_write` target. A path
   * that renders unsafe fails the step with STORAGE_PATH_INVALID (null: nothing to send).
   */
  private storageFields(
    row: StepRow,
    step: StepDefinition,
    fallback: boolean,
  ): Pick<StepDispatch, 'promptParts' | 'storageWrite'> | null {
    const key = stepKey(row.stepId, row.itemIndex);
    try {
      let pieces = this.promptPieces.get(key);
      if (pieces === undefined) {
        const template = fallback && step.fallback ? step.fallback.prompt : step.prompt;
        pieces = renderPromptParts(template, this.contextFor(row), {
          maxBytes: this.limits.maxPromptBytes,
        }).pieces;
        this.promptPieces.set(key, pieces);
      }
      const fields: Pick<StepDispatch, 'promptParts' | 'storageWrite'> = {};
      if (pieces !== null) fields.promptParts = promptPartsOf(pieces, this.run.tenantId, step);
      if (step.storageWrite !== undefined) {
        const path = renderStoragePath(step.storageWrite, this.contextFor(row));
        fields.storageWrite = { key: dataKey(this.run.tenantId, path), path };
      }
      return fields;
    } catch (err) {
      if (!(err instanceof InvalidStoragePathError) && !(err instanceof TemplateTooLargeError)) throw err;
      const kind = err instanceof InvalidStoragePathError ? 'STORAGE_PATH_INVALID' : 'PROMPT_TOO_LARGE';
      this.limitBreached(
        row,
        kind,
        err instanceof InvalidStoragePathError ? `storage: ${err.message}` : err.message,
      );
      return null;
    }
  }

  /** All steps are done: complete the run, after naming where on_complete stores its outputs. */
  private complete(): void {
    const template = this.run.definition.onComplete?.storagePath;
    if (template) {
      try {
        const path = renderStoragePath(template, this.context());
        this.completionWrite = { key: dataKey(this.run.tenantId, path), path };
      } catch (err) {
        if (!(err instanceof InvalidStoragePathError)) throw err;
        this.finishRun('failed', `on_complete.storage_path: ${err.message} (STORAGE_PATH_INVALID)`);
        return;
      }
    }
    this.completionEventsAt = this.outbox.length;
    this.finishRun('completed', null);
  }

  /**
   * The engine could not store on_complete's outputs (after its retries): the run ends `failed`
   * with the reason instead, and the `completed` events of this transition are withdrawn.
   */
  completionWriteFailed(reason: string): void {
    if (this.completionWrite === null || this.finishedWith !== 'completed') return;
    this.outbox.splice(this.completionEventsAt);
    const path = this.completionWrite.path;
    this.completionWrite = null;
    this.finishRun(
      'failed',
      `on_complete.storage_path '${path}' could not be saved: ${reason} (STORAGE_ERROR)`,
    );
  }

  /** Ends a live run: pending steps are cancelled and in-flight attempts will be aborted. */
  private stopRun(status: RunStatus, error: string): void {
    for (const row of this.steps.values()) {
      if (!isTerminalStepStatus(row.status)) {
        if (row.status === 'queued' || row.status === 'running') this.abortInFlight = true;
        this.setStatus(row, 'cancelled');
        row.nextAttemptAt = null;
        row.deadlineAt = null;
        row.waitingSince = null;
        row.completedAt = this.now;
        this.touch(row);
      }
    }
    if (this.abortInFlight) {
      // The abort goes through the outbox like any message, written in this transaction: a crash
      // between commit and publish cannot leave it unsent (the relay sends it).
      this.outbox.push({
        subject: this.settings.names.cancelControl(this.run.id),
        msgId: `stop:${this.run.id}`,
        payload: { runId: this.run.id, reason: error },
        kind: 'stop',
      });
    }
    this.finishRun(status, error);
  }

  // ---------------------------------------------------------------- budget

  private budgetSpent(): boolean {
    const max = this.run.maxCostUsd;
    return max !== null && max > 0 && this.run.totalCostUsd >= max;
  }

  private stopForBudget(): void {
    const max = this.run.maxCostUsd ?? 0;
    this.stoppedForBudget = true;
    this.stopRun(
      'budget_exceeded',
      `Budget exceeded: $${this.run.totalCostUsd.toFixed(4)} >= $${max.toFixed(4)}`,
    );
  }

  /**
   * After every applied result: at 80 % of the budget one warning event, at 100 % the run stops
   * (`budget_exceeded`, outputs so far kept). Returns whether the run may go on.
   */
  private checkBudget(): boolean {
    const max = this.run.maxCostUsd;
    if (isTerminalRunStatus(this.run.status) || max === null || max <= 0) return true;
    const ratio = this.run.totalCostUsd / max;
    if (ratio >= 1) {
      this.stopForBudget();
      return false;
    }
    if (ratio >= 0.8 && !this.run.budgetWarned) {
      this.run.budgetWarned = true;
      this.runDirty = true;
      this.budgetWarning = true;
      this.emit('budget', {
        run_id: this.run.id,
        total_cost_usd: this.run.totalCostUsd,
        max_cost_usd: max,
        ratio: Math.round(ratio * 10_000) / 10_000,
      });
    }
    return true;
  }

  private finishRun(status: RunStatus, error: string | null): void {
    this.run.status = status;
    this.run.error = error;
    this.run.completedAt = this.now;
    this.runDirty = true;
    this.finishedWith = status;
    this.emit('status', { run_id: this.run.id, status, error, total_cost_usd: this.run.totalCostUsd });
    this.emit('result', {
      run_id: this.run.id,
      workflow_name: this.run.workflowName,
      status,
      ...this.boundedOutputs(),
      error,
      total_cost_usd: this.run.totalCostUsd,
      duration_seconds: this.run.startedAt
        ? (this.now.getTime() - this.run.startedAt.getTime()) / 1000
        : null,
      completed_at: this.now.toISOString(),
    });
  }

  // ---------------------------------------------------------------- helpers

  private phases(): Map<string, StepPhase> {
    const phases = new Map<string, StepPhase>();
    for (const step of this.run.definition.steps) {
      const row = this.steps.get(stepKey(step.id, null))!;
      // A failed step in a running run was dead-lettered (abort would have ended the run).
      if (row.status === 'completed' || row.status === 'skipped' || row.status === 'failed')
        phases.set(step.id, 'done');
      else if (row.status === 'pending' && row.attempt === 0 && row.itemCount === null)
        phases.set(step.id, 'waiting');
      else phases.set(step.id, 'active');
    }
    return phases;
  }

  private context(): TemplateContext {
    if (this.cachedContext !== null) return this.cachedContext;
    const steps: Record<string, { output: unknown }> = {};
    for (const [stepId, output] of Object.entries(this.run.outputs)) steps[stepId] = { output };
    this.cachedContext = {
      input: this.run.inputData,
      steps,
      runId: this.run.id,
      date: this.now.toISOString().slice(0, 10),
    };
    return this.cachedContext;
  }

  /** The items a fan-out step runs over, looked up once per transition (not once per item). */
  private fanOutItemsOf(stepId: string): readonly unknown[] {
    let items = this.cachedItems.get(stepId);
    if (items === undefined) {
      items = fanOutItems(this.stepDef(stepId).parallelOver!, this.context());
      this.cachedItems.set(stepId, items);
    }
    return items;
  }

  /** The template context of one row: fan-out items see their own `_item` and `_index`. */
  private contextFor(row: StepRow): TemplateContext {
    const ctx = this.context();
    if (row.itemIndex === null) return ctx;
    const items = this.fanOutItemsOf(row.stepId);
    return withFanOutItem(ctx, items[row.itemIndex] ?? null, row.itemIndex);
  }

  /** The run's outputs for the `result` event: as they are, or a marker when above the event budget. */
  private boundedOutputs(): Record<string, unknown> {
    const bounded = boundedOutput(this.run.outputs, this.limits.maxEventOutputBytes);
    if (!('output_truncated' in bounded)) return { outputs: this.run.outputs };
    // The full outputs are on the run (GET /runs/{id}); the event says how large they are.
    return { outputs: null, outputs_truncated: true, outputs_bytes: bounded.output_bytes };
  }

  /** Gives a finished row the next place in the run's checkpoint order. */
  private checkpoint(row: StepRow): void {
    if (row.checkpointSeq !== null) return;
    this.run.checkpointSeq += 1;
    row.checkpointSeq = this.run.checkpointSeq;
    this.runDirty = true;
    this.touch(row);
  }

  /** What a dead letter keeps to retry: the run input, plus the item for a fan-out item. */
  private itemInput(row: StepRow): Record<string, unknown> {
    if (row.itemIndex === null) return this.run.inputData;
    const ctx = this.contextFor(row);
    return ctx.input;
  }

  private itemRows(stepId: string): StepRow[] {
    return [...this.steps.values()]
      .filter((r) => r.stepId === stepId && r.itemIndex !== null)
      .sort(byItemIndex);
  }

  private setOutput(stepId: string, output: unknown): void {
    this.run.outputs = { ...this.run.outputs, [stepId]: output };
    this.runDirty = true;
    this.cachedContext = null;
    this.cachedItems.clear();
  }

  private stepDef(stepId: string): StepDefinition {
    const step = this.run.definition.steps.find((s) => s.id === stepId);
    if (!step) throw new Error(`run ${this.run.id} has no step '${stepId}' in its definition`);
    return step;
  }

  /** Every status change of a row goes here, so the tenant's count of attempts in flight stays right. */
  private setStatus(row: StepRow, status: StepRow['status']): void {
    const held = holdsSlot(row);
    row.status = status;
    const holds = holdsSlot(row);
    if (this.slots && held !== holds) {
      if (holds) this.slots.taken();
      else this.slots.released();
    }
  }

  private touch(row: StepRow): void {
    this.dirtySteps.add(stepKey(row.stepId, row.itemIndex));
  }

  private emitStep(row: StepRow): void {
    const aggregate = row.itemIndex === null && row.itemCount !== null;
    if (!aggregate && isTerminalStepStatus(row.status)) this.finishedSteps.push(row.status);
    this.emit('step', {
      run_id: this.run.id,
      step_id: row.stepId,
      parallel_index: row.itemIndex,
      fan_out: aggregate,
      status: row.status,
      attempt: row.attempt,
      // Events stay far below the broker's max payload: a large output travels as a preview.
      ...(row.status === 'completed' ? boundedOutput(row.output, this.limits.maxEventOutputBytes) : {}),
      ...(row.error ? { error: row.error } : {}),
      cost_usd: row.costUsd,
      ...(row.nextAttemptAt ? { next_attempt_at: row.nextAttemptAt.toISOString() } : {}),
      ...(row.waitingSince ? { waiting_for_capacity: true } : {}),
    });
  }

  private emit(type: RunEventType, data: Record<string, unknown>): void {
    const event: RunEvent = {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId: this.run.tenantId,
      runId: this.run.id,
      type,
      at: this.now.toISOString(),
      data,
    };
    this.outbox.push({
      subject: this.settings.names.runEvents(this.run.id),
      msgId: `evt:${this.run.id}:${randomUUID()}`,
      payload: event,
      kind: 'stream',
    });
  }
}
