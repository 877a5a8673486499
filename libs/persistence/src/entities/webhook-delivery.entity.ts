import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who asked for a delivery; one delivery per run and target (unique). */
export const DELIVERY_TARGETS = [
  'run_callback',
  'schedule_callback',
  'workflow_webhook',
  'schedule_slack',
  'workflow_slack',
] as const;
export type DeliveryTarget = (typeof DELIVERY_TARGETS)[number];
export type DeliveryFormat = 'webhook' | 'slack';
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/**
 * One notification of one run's end to one URL, retried until delivered or `give_up_at`. Claimed
 * by a notifier replica with FOR UPDATE SKIP LOCKED and a lease (`locked_until`): a replica that
 * dies mid-send loses the lease and another one retries.
 */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'target', type: 'varchar', length: 30 })
  target!: DeliveryTarget;

  @Column({ name: 'format', type: 'varchar', length: 10 })
  format!: DeliveryFormat;

  @Column({ name: 'url', type: 'text' })
  url!: string;

  @Column({ name: 'event', type: 'varchar', length: 40 })
  event!: string;

  /** The body without its `timestamp`, which is set at each attempt (receivers reject old ones). */
  @Column({ name: 'payload', type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'status', type: 'varchar', length: 12, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'give_up_at', type: 'timestamptz' })
  giveUpAt!: Date;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
