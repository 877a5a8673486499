import type { StepDispatch } from '@sandcastle/contracts';

/**
 * True when the dispatch arrives after its attempt's deadline: the moment the orchestrator
 * presumes an attempt nobody started lost (and queues its retry or fails the step). Such an
 * attempt is no longer current; running it would run the step twice and pay twice.
 *
 * The deadline is the queue deadline (queued + allowance + timeout + grace). A running attempt's
 * deadline in the orchestrator (started + timeout + grace) is never later for an attempt started
 * within its allowance, so a redelivery after an executor crash is refused only once the
 * orchestrator gives up on it too: the rule never refuses an attempt that is still current.
 * False when the dispatch carries no deadline (an older orchestrator): never refused for it.
 */
export function isPastDeadline(d: Pick<StepDispatch, 'deadlineAt'>, now: Date = new Date()): boolean {
  if (d.deadlineAt === undefined) return false;
  const deadline = Date.parse(d.deadlineAt);
  return !Number.isNaN(deadline) && now.getTime() > deadline;
}
