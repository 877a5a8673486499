import type { StepDispatch } from '@sandcastle/contracts';

/**
 * The latest moment an executor may still start this attempt: its deadline minus its timeout.
 * Started later, it could outlive the deadline at which the orchestrator presumes it lost and
 * queues a retry, so the step would run (and be paid for) twice. Null when the dispatch carries
 * no deadline (sent by an older orchestrator): never refused for it.
 */
export function latestStartOf(d: Pick<StepDispatch, 'deadlineAt' | 'timeoutSeconds'>): Date | null {
  if (d.deadlineAt === undefined) return null;
  const deadline = Date.parse(d.deadlineAt);
  if (Number.isNaN(deadline)) return null;
  return new Date(deadline - d.timeoutSeconds * 1000);
}

export function isPastLatestStart(
  d: Pick<StepDispatch, 'deadlineAt' | 'timeoutSeconds'>,
  now: Date = new Date(),
): boolean {
  const latest = latestStartOf(d);
  return latest !== null && now.getTime() > latest.getTime();
}
