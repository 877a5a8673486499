import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a schedule does when its due time comes while its previous run is still active. */
export type OverlapPolicy = 'skip' | 'allow';

/**
 * A cron schedule of one tenant: at each due time the scheduler starts one run of the workflow.
 * Read by every scheduler replica on every tick (raw SQL, see apps/scheduler), so an edit takes
 * effect at the next due time everywhere without a restart.
 */
@Entity({ name: 'schedules' })
export class ScheduleEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'workflow_name', type: 'varchar', length: 200 })
  workflowName!: string;

  /** Normalised (single spaces); 5 fields, or 6 with leading seconds. */
  @Column({ name: 'cron_expression', type: 'varchar', length: 200 })
  cronExpression!: string;

  @Column({ name: 'timezone', type: 'varchar', length: 100, default: 'UTC' })
  timezone!: string;

  @Column({ name: 'input_data', type: 'jsonb', default: () => `'{}'` })
  inputData!: Record<string, unknown>;

  /** The schedule's own budget per run (as requested; 0/null = not set). */
  @Column({ name: 'max_cost_usd', type: 'double precision', nullable: true })
  maxCostUsd!: number | null;

  /** The creating key's `max_cost_per_run_usd`, so scheduled runs keep the key's limit. */
  @Column({ name: 'key_max_cost_usd', type: 'double precision', nullable: true })
  keyMaxCostUsd!: number | null;

  @Column({ name: 'callback_url', type: 'text', nullable: true })
  callbackUrl!: string | null;

  @Column({ name: 'notify_slack', type: 'text', nullable: true })
  notifySlack!: string | null;

  @Column({ name: 'enabled', type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'overlap', type: 'varchar', length: 10, default: 'allow' })
  overlap!: OverlapPolicy;

  /** The next due time; null while disabled. */
  @Column({ name: 'next_run_at', type: 'timestamptz', nullable: true })
  nextRunAt!: Date | null;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt!: Date | null;

  @Column({ name: 'last_run_id', type: 'uuid', nullable: true })
  lastRunId!: string | null;

  /** Why the scheduler disabled it (e.g. its workflow was deleted); null when a user did. */
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
