import { createHmac } from 'node:crypto';
import type { WebhookBody } from '@sandcastle/contracts';

/** The stored part of a webhook body: everything but the per-attempt `timestamp`. */
export type StoredWebhookPayload = Omit<WebhookBody, 'timestamp'>;

/**
 * The exact bytes of one attempt, keys in the documented order (a jsonb column does not keep key
 * order, so the body is built here rather than stored). `timestamp` is the attempt's time, so a
 * receiver can refuse old or replayed requests.
 */
export function webhookBodyBytes(payload: StoredWebhookPayload, at: Date): Buffer {
  const body: WebhookBody = {
    event: payload.event,
    run_id: payload.run_id,
    workflow: payload.workflow,
    status: payload.status,
    outputs: payload.outputs,
    total_cost_usd: payload.total_cost_usd,
    duration_seconds: payload.duration_seconds,
    error: payload.error,
    ...(payload.approval !== undefined ? { approval: payload.approval } : {}),
    timestamp: at.toISOString(),
  };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** Lowercase hex HMAC-SHA256 of the exact bytes sent. */
export function signBody(body: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
