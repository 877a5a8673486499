import type { RunStatus, StepStatus } from '@sandcastle/contracts';
import type { ApprovalRequest } from '../approval-step.util';
import type { DeadLetter, EngineMessage, RunRow, StepRow } from '../run-state';

/** Where `on_complete.storage_path` stores a completed run's outputs: the storage key and the path as written. */
export interface CompletionTarget {
  readonly key: string;
  readonly path: string;
}

/** How the run ended in this transition. */
export interface RunEnd {
  readonly status: RunStatus;
  readonly error: string | null;
}

/** What the engine counts and logs about a transition; nothing here is stored. */
export interface TransitionMetrics {
  /** Terminal statuses reached by steps and fan-out items (a fan-out's own row is not counted). */
  readonly finishedSteps: readonly StepStatus[];
  /** Failed attempts given another try. */
  readonly retries: number;
  /** Attempts that started waiting for a free slot of the tenant's cap. */
  readonly capacityWaits: number;
  /** The run crossed 80 % of its budget (the engine logs a warning). */
  readonly budgetWarning: boolean;
  /** The run stopped because its budget was spent. */
  readonly stoppedForBudget: boolean;
}

/**
 * Everything a machine's transition asks the engine to do, as one value. The engine reads it
 * after the operations of a transaction ran: it stores the run (when `runChanged`) and
 * `stepChanges`, writes `messages` and `deadLetters` with them (saveTransitions), stores
 * `approvalRequests` and cancels the approvals of an ended run (approval-store), stores
 * `completionWrite` before it commits (completion-writer), then counts and logs `metrics`.
 */
export interface TransitionEffects {
  /** Dispatches, run events and a stop's abort, in the order they were decided (the outbox). */
  readonly messages: readonly EngineMessage[];
  /** Step rows (and fan-out item rows) created or changed. */
  readonly stepChanges: readonly StepRow[];
  /** The run row changed (status, outputs, cost, checkpoint counter, …). */
  readonly runChanged: boolean;
  /** Set when the run ended (completed, failed, cancelled, budget_exceeded). */
  readonly runEnded: RunEnd | null;
  /** Steps that finally failed in a workflow with `on_failure.dead_letter`. */
  readonly deadLetters: readonly DeadLetter[];
  /** Approval steps that began waiting. */
  readonly approvalRequests: readonly ApprovalRequest[];
  /**
   * Set when the run completed with `on_complete.storage_path`: the engine stores the outputs
   * there before it commits, and calls `completionWriteFailed` if it cannot, so a run is never
   * `completed` with its storage path unsaved.
   */
  readonly completionWrite: CompletionTarget | null;
  readonly metrics: TransitionMetrics;
}

/**
 * Collects a transition's effects while the machine works. It lives in the machine's context and
 * never leaves the machine: the engine only sees `snapshot()`s.
 */
export class EffectsCollector {
  private readonly messages: EngineMessage[] = [];
  /** Keys (stepKey) of the rows changed, in the order they first changed. */
  private readonly changedSteps = new Set<string>();
  private runDirty = false;
  private ended: RunEnd | null = null;
  private readonly deadLetters: DeadLetter[] = [];
  private readonly approvalRequests: ApprovalRequest[] = [];
  private completionWrite: CompletionTarget | null = null;
  /** Where the completion's events begin in `messages`: withdrawn when its storage write fails. */
  private completionEventsAt = -1;
  private readonly finishedSteps: StepStatus[] = [];
  private retries = 0;
  private capacityWaits = 0;
  private budgetWarning = false;
  private stoppedForBudget = false;

  message(message: EngineMessage): void {
    this.messages.push(message);
  }

  stepChanged(key: string): void {
    this.changedSteps.add(key);
  }

  runChanged(): void {
    this.runDirty = true;
  }

  runEnded(status: RunStatus, error: string | null): void {
    this.ended = { status, error };
  }

  deadLetter(letter: DeadLetter): void {
    this.deadLetters.push(letter);
  }

  approvalRequested(request: ApprovalRequest): void {
    this.approvalRequests.push(request);
  }

  /** The run is about to complete: its outputs go to `target`, and the events that follow are the completion's. */
  completing(target: CompletionTarget | null): void {
    this.completionWrite = target;
    this.completionEventsAt = this.messages.length;
  }

  /**
   * Takes back a completion whose outputs could not be stored: its events are dropped and its
   * target returned (null when this transition completed nothing that needs storing).
   */
  withdrawCompletion(): CompletionTarget | null {
    const target = this.completionWrite;
    if (target === null || this.ended?.status !== 'completed') return null;
    this.messages.splice(this.completionEventsAt);
    this.completionWrite = null;
    return target;
  }

  stepFinished(status: StepStatus): void {
    this.finishedSteps.push(status);
  }

  retryScheduled(): void {
    this.retries++;
  }

  waitingForCapacity(): void {
    this.capacityWaits++;
  }

  budgetWarned(): void {
    this.budgetWarning = true;
  }

  budgetStopped(): void {
    this.stoppedForBudget = true;
  }

  /**
   * The effects so far, as a value: its lists are copies, so later work of the machine adds
   * nothing to them. The step rows are the machine's own (the engine reads them, never changes them).
   */
  snapshot(rows: ReadonlyMap<string, StepRow>): TransitionEffects {
    return {
      messages: [...this.messages],
      stepChanges: [...this.changedSteps].flatMap((key) => {
        const row = rows.get(key);
        return row ? [row] : [];
      }),
      runChanged: this.runDirty,
      runEnded: this.ended,
      deadLetters: [...this.deadLetters],
      approvalRequests: [...this.approvalRequests],
      completionWrite: this.completionWrite,
      metrics: {
        finishedSteps: [...this.finishedSteps],
        retries: this.retries,
        capacityWaits: this.capacityWaits,
        budgetWarning: this.budgetWarning,
        stoppedForBudget: this.stoppedForBudget,
      },
    };
  }
}

/** One run's transition as the engine persists it: the run row as changed, and the effects. */
export interface RunTransition {
  readonly run: Readonly<RunRow>;
  readonly effects: TransitionEffects;
}
