import { isTerminalRunStatus, type RunStatus, type RunView, type StepView } from '@sandcastle/contracts';
import { followEvents } from '../sse/sse-client';
import {
  formatBudgetEvent,
  formatStepEvent,
  type BudgetEventData,
  type StepEventData,
} from '../output/run-format.util';
import type { CliContext } from './cli-context';

/**
 * Follows `GET /runs/{id}/stream`, printing a line per step and budget event, until the run's
 * `result`, which it returns (null when the user stopped following). A dropped connection is
 * resumed with Last-Event-ID, so no event is printed twice or skipped.
 */
export async function followRun(ctx: CliContext, runId: string): Promise<RunView | null> {
  const events = followEvents({
    url: ctx.api.url(`/runs/${encodeURIComponent(runId)}/stream`),
    headers: ctx.api.headers(),
    fetch: ctx.api.fetch,
    signal: ctx.signal,
    reconnectDelayMs: ctx.reconnectDelayMs,
    onReconnect: ({ lastEventId, reason }) =>
      ctx.err(
        `connection lost (${reason instanceof Error ? reason.message : String(reason)}); ` +
          `resuming${lastEventId ? ` after event ${lastEventId}` : ''}…`,
      ),
  });
  let first = true;
  for await (const message of events) {
    const data = JSON.parse(message.data) as unknown;
    switch (message.event) {
      case 'status': {
        const status = data as { status: RunStatus; workflow_name?: string; steps?: StepView[] };
        if (first) {
          ctx.out(`run ${runId} (${status.workflow_name ?? 'workflow'}): ${status.status}`);
          // What happened before we connected, so the progress reads complete.
          for (const step of status.steps ?? [])
            if (step.status !== 'pending') ctx.out(formatStepEvent(step));
        } else if (!isTerminalRunStatus(status.status)) ctx.out(`  run ${status.status}`);
        break;
      }
      case 'step':
        ctx.out(formatStepEvent(data as StepEventData));
        break;
      case 'budget':
        ctx.out(formatBudgetEvent(data as BudgetEventData));
        break;
      case 'result':
        return data as RunView;
      default:
        break;
    }
    first = false;
  }
  return null;
}
