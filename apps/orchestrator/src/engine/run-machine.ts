import type { StepResult, StepStarted } from '@sandcastle/contracts';
import type { DecidedApproval } from './approval-step.util';
import * as approvals from './machine/approvals';
import * as attempts from './machine/attempts';
import { MachineContext } from './machine/context';
import * as dispatch from './machine/dispatch';
import type { TransitionEffects } from './machine/effects';
import * as failures from './machine/failure-policy';
import * as readiness from './machine/readiness';
import type { ParentRun } from './machine/restore';
import type { MachineSettings } from './machine/settings';
import * as stop from './machine/stop';
import type { RunRow, StepRow } from './run-state';
import type { TenantSlots } from './tenant-slots';

export type {
  CompletionTarget,
  RunEnd,
  RunTransition,
  TransitionEffects,
  TransitionMetrics,
} from './machine/effects';
export type { ParentRun } from './machine/restore';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  machineLimits,
  type MachineLimits,
  type MachineSettings,
} from './machine/settings';

/**
 * The run state machine, free of I/O. The engine loads a run and its step rows under the run's
 * row lock, opens a machine on them, feeds it one or more inputs (start, an attempt result, a
 * retry coming due, …), then reads `effects()` — the rows to store, the messages to publish, the
 * dead letters, approval requests and metrics — and persists and publishes them in that order,
 * so a crash anywhere leads to redelivery of the same input and the same outcome.
 *
 * This class is only the entry points. The work is done by functions in `machine/`, one file per
 * responsibility, all on one shared `MachineContext` (the run, its rows, settings, clock, tenant
 * slots, the effects being collected, the template context):
 *   readiness.ts  which steps may begin, and beginning them (start, advance)
 *   dispatch.ts   queueing an attempt: prompt, tenant slot (or waiting for one), the dispatch message
 *   attempts.ts   what executors report: started, result, cost
 *   failure-policy.ts  retries, fallback, dead letter / abort / skip, limits breached, lost attempts
 *   fan-out.ts    parallel_over: item rows, max_concurrency, aggregation of the items' outputs
 *   budget.ts     the 80 % warning and the stop at 100 %
 *   approvals.ts  approval steps waiting for, and applying, a decision
 *   restore.ts    Time Machine: a replay's or fork's steps restored from its parent
 *   stop.ts       how a run ends: cancel, fail, complete (and on_complete storage failing)
 *   events.ts     run events; effects.ts  the effects value and its collector
 */
export class RunMachine {
  private constructor(private readonly m: MachineContext) {}

  /**
   * Opens a run's machine for one transition. A cancel request the gateway recorded on the run
   * (`cancelRequestedAt`) is applied here, before any input: it wins over whatever message comes
   * first, even a start, and a transition with nothing else to do (the reconciler's sweep for
   * requests whose command was lost) only needs to open the machine.
   *
   * `slots`: the tenant's cap on attempts in flight, shared by the machines of one transaction
   * (null: no cap). An attempt that finds no slot stays `pending` with `waitingSince` set and is
   * dispatched when a slot frees up (this run's next transition, or the reconciler's sweep).
   */
  static open(
    run: RunRow,
    rows: readonly StepRow[],
    settings: MachineSettings,
    now: Date = new Date(),
    slots: TenantSlots | null = null,
  ): RunMachine {
    const machine = new RunMachine(new MachineContext(run, rows, settings, now, slots));
    stop.applyCancelRequest(machine.m);
    return machine;
  }

  /** The run row as the machine has changed it so far. */
  get run(): Readonly<RunRow> {
    return this.m.run;
  }

  /** Every step row of the run as the machine has changed it so far. */
  get stepRows(): StepRow[] {
    return [...this.m.steps.values()];
  }

  /** What this transition asks the engine to store, publish, count and log, so far. */
  effects(): TransitionEffects {
    return this.m.effects.snapshot(this.m.steps);
  }

  /**
   * queued → running. A replay or fork passes its parent's step rows: every step outside
   * `replay_from_step` and its dependents that the parent completed (or skipped) is restored from
   * it at no cost, and never dispatched.
   */
  start(parent?: ParentRun): boolean {
    return readiness.start(this.m, parent);
  }

  /** A user stopped the run: nothing more is dispatched and in-flight attempts are aborted. */
  cancel(reason: string): 'cancelled' | 'finished' {
    return stop.cancel(this.m, reason);
  }

  /** One attempt's result, already recorded by the engine (so applied once per attempt). */
  applyResult(result: StepResult): 'applied' | 'stale' {
    return attempts.applyResult(this.m, result);
  }

  /** The real result of an attempt declared lost: only its cost and tokens count. */
  applyLateResult(result: StepResult): 'stale' {
    return attempts.applyLateResult(this.m, result);
  }

  /** An executor began an attempt (or began it again after another executor died). */
  applyStarted(msg: StepStarted): boolean {
    return attempts.applyStarted(this.m, msg);
  }

  /** Dispatches retries whose backoff has elapsed. */
  dispatchDueRetries(): number {
    return failures.dispatchDueRetries(this.m);
  }

  /** Dispatches attempts waiting for a slot of the tenant's cap, oldest first, while slots are free. */
  dispatchWaiting(): number {
    return dispatch.dispatchWaiting(this.m);
  }

  /** Attempts past their deadline: results the caller records and applies as failures. */
  lostAttempts(executorId: string): StepResult[] {
    return failures.lostAttempts(this.m, executorId);
  }

  /** Applies an approval decided in `approvals` (by a person, or by its timeout). */
  decideApproval(decision: DecidedApproval): 'applied' | 'stale' {
    return approvals.decideApproval(this.m, decision);
  }

  /**
   * The engine could not store on_complete's outputs (after its retries): the run ends `failed`
   * with the reason instead, and the `completed` events of this transition are withdrawn.
   */
  completionWriteFailed(reason: string): void {
    stop.completionWriteFailed(this.m, reason);
  }
}
