import { collapseMissed, nextOccurrence } from '@sandcastle/workflow';

/** The columns of a due schedule the decision needs. */
export interface DueSchedule {
  cronExpression: string;
  timezone: string;
  overlap: 'skip' | 'allow';
  /** The stored due time that has come (not null: only due schedules are decided). */
  nextRunAt: Date;
}

export type FireDecision =
  | {
      kind: 'fire';
      /** The due time the run stands for: the latest one at or before now. */
      fireAt: Date;
      /** Due times this one run stands for (1 on time; more after an outage). */
      missed: number;
      catchUp: boolean;
      nextRunAt: Date | null;
    }
  | { kind: 'skip'; fireAt: Date; nextRunAt: Date | null }
  | { kind: 'disable'; reason: string };

export interface DecisionInput {
  schedule: DueSchedule;
  now: Date;
  workflowExists: boolean;
  workflowName: string;
  /** The schedule's previous run is still queued or running. */
  previousRunActive: boolean;
  catchUpAfterMs: number;
}

/**
 * What one due schedule does now. Pure, so the rules are tested with a fixed clock:
 * - its workflow is gone → disabled, with the reason shown on the schedule;
 * - the due times that passed collapse into one fire (a scheduler that was down fires once, and
 *   the run says it was a catch-up: more than one due time missed, or fired late);
 * - `overlap: skip` with the previous run still active → no run, next due time;
 * - the next due time is strictly after both the fired one and now.
 */
export function decideFire(input: DecisionInput): FireDecision {
  const { schedule, now } = input;
  if (!input.workflowExists) {
    return {
      kind: 'disable',
      reason: `workflow '${input.workflowName}' no longer exists (deleted); save it again and re-enable the schedule`,
    };
  }
  const { fireAt, missed } = collapseMissed(
    schedule.cronExpression,
    schedule.timezone,
    schedule.nextRunAt,
    now,
  );
  const after = fireAt.getTime() > now.getTime() ? fireAt : now;
  const nextRunAt = nextOccurrence(schedule.cronExpression, schedule.timezone, after);
  if (schedule.overlap === 'skip' && input.previousRunActive) return { kind: 'skip', fireAt, nextRunAt };
  const catchUp = missed > 1 || now.getTime() - fireAt.getTime() > input.catchUpAfterMs;
  return { kind: 'fire', fireAt, missed, catchUp, nextRunAt };
}
