import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Poison containment, truthful money and per-tenant fairness in the engine.
 *
 * - `outbox`: a row the relay keeps failing to publish (over the broker's max payload, a subject
 *   refused) counts its tries in `attempts` with the last error; after a bounded number it is set
 *   aside (`failed_at`) and never retried automatically, so it cannot block other rows or tenants.
 *   `kind` tells a JetStream message (`stream`) from a run stop's abort (`stop`: the core-NATS
 *   cancel signal plus the stopped-runs key-value mark), which is written in the stop's
 *   transaction like any other message.
 * - `step_attempts.replaced_lost_at`: when the real result of an attempt the reconciler had
 *   declared lost arrives, it replaces the synthetic `lost` record once (its cost is counted).
 * - `run_steps.waiting_since`: an attempt ready to dispatch that waits for a free slot of its
 *   tenant's cap on running attempts; the partial indexes keep the counting and the sweep cheap.
 */
export class PoisonAndFairness1796200000000 implements MigrationInterface {
  name = 'PoisonAndFairness1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ix_run_steps_tenant_waiting`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_run_steps_tenant_in_flight`);
    await queryRunner.query(`ALTER TABLE run_steps DROP COLUMN IF EXISTS waiting_since`);
    await queryRunner.query(`ALTER TABLE step_attempts DROP COLUMN IF EXISTS replaced_lost_at`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_outbox_set_aside`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_outbox_pending`);
    await queryRunner.query(`ALTER TABLE outbox DROP CONSTRAINT IF EXISTS ck_outbox_kind`);
    for (const column of ['kind', 'failed_at', 'last_error', 'attempts']) {
      await queryRunner.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS ${column}`);
    }
  }
}

const UP: readonly string[] = [
  `ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0`,
  `ALTER TABLE outbox ADD COLUMN last_error text NULL`,
  `ALTER TABLE outbox ADD COLUMN failed_at timestamptz NULL`,
  `ALTER TABLE outbox ADD COLUMN kind varchar(10) NOT NULL DEFAULT 'stream'`,
  `ALTER TABLE outbox ADD CONSTRAINT ck_outbox_kind CHECK (kind IN ('stream', 'stop'))`,
  // The relay reads only rows still to publish; set-aside rows are read by operators.
  `CREATE INDEX ix_outbox_pending ON outbox (created_at) WHERE failed_at IS NULL`,
  `CREATE INDEX ix_outbox_set_aside ON outbox (failed_at) WHERE failed_at IS NOT NULL`,
  `ALTER TABLE step_attempts ADD COLUMN replaced_lost_at timestamptz NULL`,
  `ALTER TABLE run_steps ADD COLUMN waiting_since timestamptz NULL`,
  // A tenant's attempts in flight (a fan-out step's own row aggregates its items and never runs).
  `CREATE INDEX ix_run_steps_tenant_in_flight ON run_steps (tenant_id)
    WHERE status IN ('queued', 'running') AND NOT (item_index = -1 AND item_count IS NOT NULL)`,
  `CREATE INDEX ix_run_steps_tenant_waiting ON run_steps (tenant_id, waiting_since)
    WHERE waiting_since IS NOT NULL`,
];
