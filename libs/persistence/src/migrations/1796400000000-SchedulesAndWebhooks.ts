import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schedules (cron → runs) and webhook deliveries (run end → signed POSTs and Slack messages).
 *
 * Exactly once per due time: a scheduled run carries (`schedule_id`, `scheduled_for`) under the
 * partial unique index `uq_runs_schedule_fire`, and the scheduler inserts it in the same
 * transaction that advances the schedule row it holds locked (FOR UPDATE SKIP LOCKED). Two
 * replicas, a crash after the insert, a retry: the second insert of the same due time fails on
 * the index and rolls its transaction back.
 *
 * Deliveries are durable rows (`webhook_deliveries`, one per run and target, unique) claimed by
 * notifier replicas with FOR UPDATE SKIP LOCKED and a lease (`locked_until`); each HTTP attempt
 * is a row of `webhook_attempts`.
 */
export class SchedulesAndWebhooks1796400000000 implements MigrationInterface {
  name = 'SchedulesAndWebhooks1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS webhook_attempts`);
    await queryRunner.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_runs_tenant_schedule`);
    await queryRunner.query(`DROP INDEX IF EXISTS uq_runs_schedule_fire`);
    await queryRunner.query(
      `ALTER TABLE runs DROP COLUMN IF EXISTS schedule_id, DROP COLUMN IF EXISTS scheduled_for,
         DROP COLUMN IF EXISTS catch_up, DROP COLUMN IF EXISTS missed_fires`,
    );
    await queryRunner.query(`DROP TABLE IF EXISTS schedules`);
  }
}

const UP: readonly string[] = [
  `CREATE TABLE schedules (
    id uuid NOT NULL,
    tenant_id varchar(100) NOT NULL,
    workflow_name varchar(200) NOT NULL,
    cron_expression varchar(200) NOT NULL,
    timezone varchar(100) NOT NULL DEFAULT 'UTC',
    input_data jsonb NOT NULL DEFAULT '{}',
    max_cost_usd double precision NULL,
    key_max_cost_usd double precision NULL,
    callback_url text NULL,
    notify_slack text NULL,
    enabled boolean NOT NULL DEFAULT true,
    overlap varchar(10) NOT NULL DEFAULT 'allow',
    next_run_at timestamptz NULL,
    last_run_at timestamptz NULL,
    last_run_id uuid NULL,
    disabled_reason text NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_schedules PRIMARY KEY (id),
    CONSTRAINT ck_schedules_overlap CHECK (overlap IN ('skip', 'allow'))
  )`,
  // What every scheduler tick asks: the enabled schedules whose due time has come.
  `CREATE INDEX ix_schedules_due ON schedules (next_run_at) WHERE enabled`,
  `CREATE INDEX ix_schedules_tenant_created ON schedules (tenant_id, created_at DESC)`,
  `ALTER TABLE runs
     ADD COLUMN schedule_id uuid NULL,
     ADD COLUMN scheduled_for timestamptz NULL,
     ADD COLUMN catch_up boolean NOT NULL DEFAULT false,
     ADD COLUMN missed_fires integer NULL`,
  `CREATE UNIQUE INDEX uq_runs_schedule_fire ON runs (schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL`,
  `CREATE INDEX ix_runs_tenant_schedule ON runs (tenant_id, schedule_id, created_at DESC) WHERE schedule_id IS NOT NULL`,
  `CREATE TABLE webhook_deliveries (
    id uuid NOT NULL,
    tenant_id varchar(100) NOT NULL,
    run_id uuid NOT NULL,
    target varchar(30) NOT NULL,
    format varchar(10) NOT NULL,
    url text NOT NULL,
    event varchar(40) NOT NULL,
    payload jsonb NOT NULL,
    status varchar(12) NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NULL,
    locked_until timestamptz NULL,
    give_up_at timestamptz NOT NULL,
    last_status_code integer NULL,
    last_error text NULL,
    delivered_at timestamptz NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
    CONSTRAINT uq_webhook_deliveries_run_target UNIQUE (run_id, target),
    CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
    CONSTRAINT ck_webhook_deliveries_format CHECK (format IN ('webhook', 'slack'))
  )`,
  // What every notifier poll asks: deliveries due now (pending) or whose lease ran out (sending).
  `CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'sending')`,
  `CREATE INDEX ix_webhook_deliveries_tenant_run ON webhook_deliveries (tenant_id, run_id)`,
  `CREATE TABLE webhook_attempts (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    delivery_id uuid NOT NULL,
    attempt integer NOT NULL,
    started_at timestamptz NOT NULL,
    status_code integer NULL,
    latency_ms integer NOT NULL,
    error text NULL,
    CONSTRAINT pk_webhook_attempts PRIMARY KEY (id),
    CONSTRAINT uq_webhook_attempts_delivery_attempt UNIQUE (delivery_id, attempt),
    CONSTRAINT fk_webhook_attempts_delivery FOREIGN KEY (delivery_id) REFERENCES webhook_deliveries (id) ON DELETE CASCADE
  )`,
];
