import type { DeliveryView } from '@sandcastle/contracts';
import type { WebhookAttemptEntity, WebhookDeliveryEntity } from '@sandcastle/persistence';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** A Slack incoming-webhook URL is a credential: only its host is shown. */
function shownUrl(row: WebhookDeliveryEntity): string {
  if (row.format !== 'slack') return row.url;
  try {
    return `${new URL(row.url).origin}/…`;
  } catch {
    return '…';
  }
}

export function toDeliveryView(
  row: WebhookDeliveryEntity,
  attempts: readonly WebhookAttemptEntity[],
): DeliveryView {
  return {
    id: row.id,
    run_id: row.runId,
    target: row.target,
    format: row.format,
    url: shownUrl(row),
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: iso(row.nextAttemptAt),
    give_up_at: row.giveUpAt.toISOString(),
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    delivered_at: iso(row.deliveredAt),
    created_at: row.createdAt.toISOString(),
    attempt_log: attempts
      .filter((a) => a.deliveryId === row.id)
      .map((a) => ({
        attempt: a.attempt,
        started_at: a.startedAt.toISOString(),
        status_code: a.statusCode,
        latency_ms: a.latencyMs,
        error: a.error,
      })),
  };
}
