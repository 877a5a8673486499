import type { DataSource } from 'typeorm';
import {
  returnedRows,
  type DeliveryFormat,
  type DeliveryStatus,
  type DeliveryTarget,
} from '@sandcastle/persistence';
import type { StoredWebhookPayload } from '../sending/webhook-body.util';

/** What the notifier needs of a finished run to plan its deliveries. */
export interface RunNotificationSources {
  tenantId: string;
  callbackUrl: string | null;
  definition: {
    onComplete?: { webhook?: string | null } | null;
    onFailure?: { webhook?: string | null } | null;
    notify?: { slack?: string | null } | null;
  };
  scheduleCallbackUrl: string | null;
  scheduleSlack: string | null;
}

export interface NewDelivery {
  id: string;
  tenantId: string;
  runId: string;
  target: DeliveryTarget;
  format: DeliveryFormat;
  url: string;
  event: string;
  payload: StoredWebhookPayload;
  status: Extract<DeliveryStatus, 'pending' | 'failed'>;
  giveUpAt: Date;
  lastError: string | null;
}

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  runId: string;
  format: DeliveryFormat;
  url: string;
  event: string;
  payload: StoredWebhookPayload;
  /** The number of this attempt (claiming counted it). */
  attempt: number;
  giveUpAt: Date;
  /** The run's trace (its W3C traceparent), so the attempt's log lines belong to the run's trace. */
  traceparent: string | null;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export type AttemptOutcome =
  { kind: 'delivered' } | { kind: 'retry'; nextAttemptAt: Date } | { kind: 'failed' };

interface ClaimedRow {
  id: string;
  tenant_id: string;
  run_id: string;
  format: DeliveryFormat;
  url: string;
  event: string;
  payload: StoredWebhookPayload;
  attempts: number;
  give_up_at: Date;
  traceparent: string | null;
}

/**
 * The notifier's SQL over `webhook_deliveries` and `webhook_attempts`. Claiming takes rows with
 * FOR UPDATE SKIP LOCKED and gives each a lease, so two replicas never send the same attempt;
 * a replica that dies mid-send loses its lease and another replica makes the next attempt.
 */
export class DeliveriesRepository {
  constructor(private readonly db: DataSource) {}

  async runSources(runId: string): Promise<RunNotificationSources | null> {
    const rows: {
      tenant_id: string;
      callback_url: string | null;
      definition: RunNotificationSources['definition'];
      schedule_callback_url: string | null;
      schedule_slack: string | null;
    }[] = await this.db.query(
      // Only the three parts of the definition that name targets: a run's definition may be
      // megabytes (thousands of steps), read and parsed here once per run otherwise.
      `SELECT r.tenant_id, r.callback_url,
              jsonb_build_object('onComplete', r.definition->'onComplete', 'onFailure', r.definition->'onFailure',
                                 'notify', r.definition->'notify') AS definition,
              s.callback_url AS schedule_callback_url, s.notify_slack AS schedule_slack
         FROM runs r
         LEFT JOIN schedules s ON s.id = r.schedule_id AND s.tenant_id = r.tenant_id
        WHERE r.id = $1`,
      [runId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      callbackUrl: row.callback_url,
      definition: row.definition,
      scheduleCallbackUrl: row.schedule_callback_url,
      scheduleSlack: row.schedule_slack,
    };
  }

  /** Inserts the planned deliveries; one per run and target, so a redelivered event adds none. */
  async insertPlanned(deliveries: readonly NewDelivery[]): Promise<number> {
    let inserted = 0;
    for (const d of deliveries) {
      const rows: { id: string }[] = await this.db.query(
        `INSERT INTO webhook_deliveries
           (id, tenant_id, run_id, target, format, url, event, payload, status, next_attempt_at, give_up_at, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::varchar, CASE WHEN $9::varchar = 'pending' THEN now() END, $10, $11)
         ON CONFLICT (run_id, target, event, (coalesce(payload->'approval'->>'step_id', ''))) DO NOTHING
         RETURNING id`,
        [
          d.id,
          d.tenantId,
          d.runId,
          d.target,
          d.format,
          d.url,
          d.event,
          JSON.stringify(d.payload),
          d.status,
          d.giveUpAt,
          d.lastError,
        ],
      );
      inserted += rows.length;
    }
    return inserted;
  }

  /** Claims up to `limit` deliveries due now (or whose previous claim's lease ran out). */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const raw: unknown = await this.db.query(
      `UPDATE webhook_deliveries d
          SET status = 'sending', attempts = d.attempts + 1,
              locked_until = now() + ($2::int * interval '1 millisecond'), updated_at = now()
        WHERE d.id IN (
          SELECT id FROM webhook_deliveries
           WHERE (status = 'pending' AND next_attempt_at <= now())
              OR (status = 'sending' AND locked_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.tenant_id, d.run_id, d.format, d.url, d.event, d.payload, d.attempts, d.give_up_at,
                  (SELECT r.traceparent FROM runs r WHERE r.id = d.run_id) AS traceparent`,
      [limit, leaseMs],
    );
    return returnedRows<ClaimedRow>(raw).map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      runId: row.run_id,
      format: row.format,
      url: row.url,
      event: row.event,
      payload: row.payload,
      attempt: row.attempts,
      giveUpAt: row.give_up_at,
      traceparent: row.traceparent ?? null,
    }));
  }

  /**
   * Records one attempt and what follows from it, in one transaction. Applied only while this
   * claim is still the latest (`attempts` unchanged): a replica whose lease ran out and that
   * answers late changes nothing but its attempt row.
   */
  async recordAttempt(record: AttemptRecord, outcome: AttemptOutcome): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, latency_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ON CONSTRAINT uq_webhook_attempts_delivery_attempt DO NOTHING`,
        [
          record.deliveryId,
          record.attempt,
          record.startedAt,
          record.statusCode,
          record.latencyMs,
          record.error,
        ],
      );
      const status = outcome.kind === 'retry' ? 'pending' : outcome.kind;
      const raw: unknown = await manager.query(
        `UPDATE webhook_deliveries
            SET status = $3::varchar, next_attempt_at = $4, locked_until = NULL,
                last_status_code = $5, last_error = $6,
                delivered_at = CASE WHEN $3::varchar = 'delivered' THEN now() ELSE delivered_at END,
                updated_at = now()
          WHERE id = $1 AND attempts = $2 AND status = 'sending'
          RETURNING id`,
        [
          record.deliveryId,
          record.attempt,
          status,
          outcome.kind === 'retry' ? outcome.nextAttemptAt : null,
          record.statusCode,
          record.error,
        ],
      );
      return returnedRows(raw).length > 0;
    });
  }

  /** Deliveries waiting for a (next) attempt: the retry queue. */
  async queueSize(): Promise<number> {
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM webhook_deliveries WHERE status IN ('pending', 'sending')`,
    );
    return Number(rows[0]?.n ?? 0);
  }
}
