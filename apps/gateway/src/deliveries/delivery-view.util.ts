import type { DeliveryView } from '@sandcastle/contracts';
import type { WebhookAttemptEntity, WebhookDeliveryEntity } from '@sandcastle/persistence';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The workflow's webhook URLs as written (with their `${VAR}`s unresolved). */
export interface WebhookTemplates {
  onComplete: string | null;
  onFailure: string | null;
}

/** Reads the webhook templates of a run's stored definition. */
export function webhookTemplatesOf(definition: unknown): WebhookTemplates {
  const def = (definition ?? {}) as {
    onComplete?: { webhook?: string | null } | null;
    onFailure?: { webhook?: string | null } | null;
  };
  return { onComplete: def.onComplete?.webhook ?? null, onFailure: def.onFailure?.webhook ?? null };
}

/**
 * A Slack incoming-webhook URL is a credential: only its host is shown. A workflow webhook built
 * from an operator's `${VAR}` is shown as written: the resolved value is the operator's, never
 * echoed to a tenant (docs/security.md).
 */
function shownUrl(row: WebhookDeliveryEntity, templates: WebhookTemplates): string {
  if (row.target === 'workflow_webhook') {
    const template = [templates.onComplete, templates.onFailure].find((t) => t?.includes('${'));
    if (template) return template;
  }
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
  templates: WebhookTemplates = { onComplete: null, onFailure: null },
): DeliveryView {
  return {
    id: row.id,
    run_id: row.runId,
    target: row.target,
    format: row.format,
    url: shownUrl(row, templates),
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
