import { WEBHOOK_HEADERS } from '@sandcastle/contracts';
import { traceOf, withLogContext, type Logger } from '@sandcastle/observability';
import type { NotifierMetrics } from '../notifier.metrics';
import type {
  AttemptOutcome,
  ClaimedDelivery,
  DeliveriesRepository,
} from '../planning/deliveries.repository';
import type { OutboundSender } from './outbound-sender';
import { nextAttemptAt, retryAfterMs, type RetrySettings } from './retry-policy.util';
import { slackMessage } from './slack-message.util';
import { signBody, webhookBodyBytes } from './webhook-body.util';

export interface SendSettings {
  /** Unset: webhooks go out without X-Sandcastle-Signature. */
  secret: string | undefined;
  timeoutMs: number;
  retry: RetrySettings;
  publicBaseUrl: string;
}

/**
 * One attempt of one claimed delivery: build the exact bytes (a fresh `timestamp` each attempt),
 * sign them, send them through the guard, record the attempt and decide what follows — 2xx
 * delivered; anything else (non-2xx, 3xx, network error, timeout) retried after the receiver's
 * Retry-After or an exponential backoff with jitter, until the retry window is over.
 */
export class SendDeliveryUseCase {
  constructor(
    private readonly repository: DeliveriesRepository,
    private readonly sender: OutboundSender,
    private readonly settings: SendSettings,
    private readonly metrics: NotifierMetrics,
    private readonly logger: Logger,
  ) {}

  /** One attempt, in the log context of the delivery's run (its trace, its id). */
  execute(delivery: ClaimedDelivery, signal?: AbortSignal): Promise<AttemptOutcome> {
    return withLogContext({ trace: traceOf(delivery.traceparent), runId: delivery.runId, stepId: null }, () =>
      this.attempt(delivery, signal),
    );
  }

  private async attempt(delivery: ClaimedDelivery, signal?: AbortSignal): Promise<AttemptOutcome> {
    const startedAt = new Date();
    const { body, headers } = this.request(delivery, startedAt);
    const started = performance.now();
    const result = await this.sender.send({
      url: delivery.url,
      headers,
      body,
      timeoutMs: this.settings.timeoutMs,
      signal,
    });
    const latencyMs = Math.round(performance.now() - started);
    this.metrics.latency.observe({ format: delivery.format }, latencyMs / 1000);

    const now = new Date();
    const success = result.kind === 'answered' && result.status >= 200 && result.status < 300;
    const statusCode = result.kind === 'answered' ? result.status : null;
    const error = success ? null : result.kind === 'error' ? result.error : `HTTP ${result.status}`;
    let outcome: AttemptOutcome;
    if (success) outcome = { kind: 'delivered' };
    else {
      const retryAfter =
        result.kind === 'answered' ? retryAfterMs(result.retryAfter, this.settings.retry, now) : null;
      const next = nextAttemptAt({
        attempt: delivery.attempt,
        now,
        giveUpAt: delivery.giveUpAt,
        retryAfter,
        settings: this.settings.retry,
      });
      outcome = next === null ? { kind: 'failed' } : { kind: 'retry', nextAttemptAt: next };
    }
    const applied = await this.repository.recordAttempt(
      { deliveryId: delivery.id, attempt: delivery.attempt, startedAt, statusCode, latencyMs, error },
      outcome,
    );
    this.metrics.attempts.inc({ format: delivery.format, outcome: outcome.kind });
    const fields = {
      deliveryId: delivery.id,
      runId: delivery.runId,
      tenantId: delivery.tenantId,
      attempt: delivery.attempt,
      statusCode,
      latencyMs,
      outcome: outcome.kind,
      ...(outcome.kind === 'retry' ? { nextAttemptAt: outcome.nextAttemptAt.toISOString() } : {}),
      ...(error ? { error } : {}),
      ...(applied ? {} : { stale: true }),
    };
    if (outcome.kind === 'failed') this.logger.warn('delivery given up', fields);
    else this.logger.info('delivery attempt', fields);
    return outcome;
  }

  private request(delivery: ClaimedDelivery, at: Date): { body: Buffer; headers: Record<string, string> } {
    const common = { 'Content-Type': 'application/json', 'User-Agent': 'Sandcastle-Notifier/1' };
    if (delivery.format === 'slack') {
      const runUrl = `${this.settings.publicBaseUrl.replace(/\/+$/, '')}/runs/${delivery.runId}`;
      return {
        body: Buffer.from(JSON.stringify(slackMessage(delivery.payload, runUrl)), 'utf8'),
        headers: common,
      };
    }
    const body = webhookBodyBytes(delivery.payload, at);
    const headers: Record<string, string> = {
      ...common,
      [WEBHOOK_HEADERS.event]: delivery.event,
      [WEBHOOK_HEADERS.delivery]: delivery.id,
    };
    if (this.settings.secret) headers[WEBHOOK_HEADERS.signature] = signBody(body, this.settings.secret);
    return { body, headers };
  }
}
