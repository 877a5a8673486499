import type { DeliveryFormat, DeliveryTarget } from '@sandcastle/persistence';
import type { RunStatus } from '@sandcastle/contracts';

/**
 * Where a run's end may be sent, as read from the run, its definition and its schedule. The
 * orchestrator sends a run to the notifier only when one of these may be set
 * (`hasDeliveryTargets`, apps/orchestrator engine/machine/events.ts): a new source goes there too.
 */
export interface TargetSources {
  status: RunStatus;
  runCallbackUrl: string | null;
  scheduleCallbackUrl: string | null;
  onCompleteWebhook: string | null;
  onFailureWebhook: string | null;
  scheduleSlack: string | null;
  workflowSlack: string | null;
}

export interface PlannedTarget {
  target: DeliveryTarget;
  format: DeliveryFormat;
  url: string;
}

/**
 * The deliveries of one run's end (docs/webhooks.md), fixing the original's rules: the run's
 * `callback_url` and the schedule's are always called; `on_complete.webhook` on `completed`
 * even when a callback is set (the original skipped it then); `on_failure.webhook` on every
 * other end (failed, cancelled, budget_exceeded); Slack on every end. The same URL named twice
 * is called once (the first target in this order keeps it).
 */
export function deliveryTargets(sources: TargetSources): PlannedTarget[] {
  const completed = sources.status === 'completed';
  const candidates: [DeliveryTarget, DeliveryFormat, string | null][] = [
    ['run_callback', 'webhook', sources.runCallbackUrl],
    ['schedule_callback', 'webhook', sources.scheduleCallbackUrl],
    ['workflow_webhook', 'webhook', completed ? sources.onCompleteWebhook : sources.onFailureWebhook],
    ['schedule_slack', 'slack', sources.scheduleSlack],
    ['workflow_slack', 'slack', sources.workflowSlack],
  ];
  const seen = new Set<string>();
  const targets: PlannedTarget[] = [];
  for (const [target, format, raw] of candidates) {
    const url = raw?.trim() ?? '';
    if (url === '' || seen.has(`${format} ${url}`)) continue;
    seen.add(`${format} ${url}`);
    targets.push({ target, format, url });
  }
  return targets;
}
