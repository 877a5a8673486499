import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Run control: checkpoint order of completed steps, cancel requests, and the dead letter queue.
 *
 * A checkpoint is not a copy of the run's state: every completed step (or fan-out item) row
 * gets the next `checkpoint_seq` of its run, so "the checkpoint after completion k" is the set
 * of rows with `checkpoint_seq <= k` — their outputs and costs. Storage grows with the number of
 * steps, never with its square.
 */
export class RunControl1795700000000 implements MigrationInterface {
  name = 'RunControl1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS dead_letter_items`);
    await queryRunner.query(`ALTER TABLE run_steps DROP COLUMN IF EXISTS checkpoint_seq`);
    await queryRunner.query(`ALTER TABLE runs DROP COLUMN IF EXISTS checkpoint_seq`);
    await queryRunner.query(`ALTER TABLE runs DROP COLUMN IF EXISTS cancel_requested_at`);
    await queryRunner.query(`ALTER TABLE runs DROP COLUMN IF EXISTS cancel_reason`);
  }
}

const UP: readonly string[] = [
  `ALTER TABLE runs ADD COLUMN checkpoint_seq integer NOT NULL DEFAULT 0`,
  // A cancel request is recorded on the row before the command is sent: the orchestrator honours
  // it at its next transition of the run (and its reconciler sweeps for it), so a cancel can
  // neither be overtaken by an earlier start command nor lost with its message.
  `ALTER TABLE runs ADD COLUMN cancel_requested_at timestamptz NULL`,
  `ALTER TABLE runs ADD COLUMN cancel_reason text NULL`,
  `ALTER TABLE run_steps ADD COLUMN checkpoint_seq integer NULL`,
  `CREATE TABLE dead_letter_items (
    id                 uuid          NOT NULL DEFAULT gen_random_uuid(),
    tenant_id          varchar(100)  NOT NULL,
    run_id             uuid          NOT NULL,
    workflow_name      varchar(200)  NOT NULL,
    step_id            varchar(200)  NOT NULL,
    item_index         integer       NOT NULL DEFAULT -1,
    error              text          NOT NULL,
    input_data         jsonb         NOT NULL DEFAULT '{}',
    attempts           integer       NOT NULL,
    created_at         timestamptz   NOT NULL DEFAULT now(),
    resolved_at        timestamptz   NULL,
    resolved_by        varchar(20)   NULL,
    resolution_reason  text          NULL,
    retry_run_id       uuid          NULL,
    CONSTRAINT pk_dead_letter_items PRIMARY KEY (id),
    CONSTRAINT fk_dead_letter_items_run FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE,
    CONSTRAINT ck_dead_letter_items_resolved_by CHECK (resolved_by IS NULL OR resolved_by IN ('retry', 'manual'))
  )`,
  // One item per step (or fan-out item) of a run: applying the same failure twice adds nothing.
  `CREATE UNIQUE INDEX uq_dead_letter_items_run_step_item ON dead_letter_items (run_id, step_id, item_index)`,
  `CREATE INDEX ix_dead_letter_items_tenant_open ON dead_letter_items (tenant_id, created_at DESC) WHERE resolved_at IS NULL`,
  `CREATE INDEX ix_dead_letter_items_tenant_created ON dead_letter_items (tenant_id, created_at DESC)`,
];
