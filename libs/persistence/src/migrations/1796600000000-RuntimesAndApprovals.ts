import type { MigrationInterface, QueryRunner } from 'typeorm';

const RUN_STATUSES_BEFORE = `'queued', 'running', 'completed', 'failed', 'cancelled', 'budget_exceeded'`;
const STEP_STATUSES_BEFORE = `'pending', 'queued', 'running', 'completed', 'failed', 'skipped', 'cancelled'`;

/**
 * Model API runtimes and human approval (docs/runtimes.md).
 *
 * - `step_attempts.tries`: an attempt of a step with a `models:` fallback chain may try several
 *   models before one answers; each try (model, runtime, outcome, error, cost) is kept.
 * - Run status `waiting` and step status `waiting`: a run paused at a `type: approval` step.
 * - `approvals`: one row per approval step of a run. The orchestrator inserts it `pending` when
 *   the step starts waiting; the decision is taken exactly once by
 *   `UPDATE … WHERE status = 'pending'` (a person through the gateway, or the reconciler when the
 *   timeout passes), and applied to the run by the orchestrator (`applied_at`). Who, when and the
 *   comment stay on the row: it is the audit record.
 * - `webhook_deliveries` is unique per run, target, event and approval step (was: run and
 *   target), so approval requests are announced besides the run's end.
 *
 * Adding nullable columns and a table is a catalogue change; the CHECK constraints are replaced
 * `NOT VALID` and validated separately, so no long lock is held on a large `runs` table.
 */
export class RuntimesAndApprovals1796600000000 implements MigrationInterface {
  name = 'RuntimesAndApprovals1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE step_attempts ADD COLUMN tries jsonb NULL`);
    await queryRunner.query(`ALTER TABLE runs DROP CONSTRAINT ck_runs_status`);
    await queryRunner.query(
      `ALTER TABLE runs ADD CONSTRAINT ck_runs_status CHECK (status IN (${RUN_STATUSES_BEFORE}, 'waiting')) NOT VALID`,
    );
    await queryRunner.query(`ALTER TABLE runs VALIDATE CONSTRAINT ck_runs_status`);
    await queryRunner.query(`ALTER TABLE run_steps DROP CONSTRAINT ck_run_steps_status`);
    await queryRunner.query(
      `ALTER TABLE run_steps ADD CONSTRAINT ck_run_steps_status CHECK (status IN (${STEP_STATUSES_BEFORE}, 'waiting')) NOT VALID`,
    );
    await queryRunner.query(`ALTER TABLE run_steps VALIDATE CONSTRAINT ck_run_steps_status`);
    await queryRunner.query(`CREATE TABLE approvals (
      run_id          uuid          NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step_id         varchar(200)  NOT NULL,
      tenant_id       varchar(100)  NOT NULL,
      workflow_name   varchar(200)  NOT NULL,
      status          varchar(20)   NOT NULL DEFAULT 'pending',
      message         text          NOT NULL,
      data            jsonb         NULL,
      allow_edit      boolean       NOT NULL DEFAULT false,
      on_timeout      varchar(20)   NOT NULL DEFAULT 'reject',
      requested_at    timestamptz   NOT NULL DEFAULT now(),
      expires_at      timestamptz   NULL,
      decided_at      timestamptz   NULL,
      decided_by      varchar(200)  NULL,
      comment         text          NULL,
      edited_output   jsonb         NULL,
      applied_at      timestamptz   NULL,
      CONSTRAINT pk_approvals PRIMARY KEY (run_id, step_id),
      CONSTRAINT ck_approvals_status CHECK (status IN ('pending', 'approved', 'rejected', 'skipped', 'cancelled')),
      CONSTRAINT ck_approvals_on_timeout CHECK (on_timeout IN ('reject', 'approve', 'skip')),
      CONSTRAINT ck_approvals_decided CHECK ((status = 'pending') = (decided_at IS NULL))
    )`);
    await queryRunner.query(
      `CREATE INDEX ix_approvals_tenant_pending ON approvals (tenant_id, requested_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_approvals_expiring ON approvals (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_approvals_unapplied ON approvals (decided_at) WHERE status <> 'pending' AND applied_at IS NULL`,
    );
    // A run now has deliveries for its end and for each approval request: one per run, target,
    // event and approval step (still exactly one per run and target for the run's end).
    await queryRunner.query(
      `ALTER TABLE webhook_deliveries DROP CONSTRAINT uq_webhook_deliveries_run_target`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_webhook_deliveries_run_target_event ON webhook_deliveries
         (run_id, target, event, (coalesce(payload->'approval'->>'step_id', '')))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM webhook_deliveries WHERE event = 'approval.requested'`);
    await queryRunner.query(`DROP INDEX uq_webhook_deliveries_run_target_event`);
    await queryRunner.query(
      `ALTER TABLE webhook_deliveries ADD CONSTRAINT uq_webhook_deliveries_run_target UNIQUE (run_id, target)`,
    );
    await queryRunner.query(`DROP TABLE approvals`);
    // Rows in the new statuses cannot satisfy the old constraints: a waiting run goes back to
    // running (its approval step to pending), which is what the engine before this knew.
    await queryRunner.query(`UPDATE run_steps SET status = 'pending' WHERE status = 'waiting'`);
    await queryRunner.query(`UPDATE runs SET status = 'running' WHERE status = 'waiting'`);
    await queryRunner.query(`ALTER TABLE run_steps DROP CONSTRAINT ck_run_steps_status`);
    await queryRunner.query(
      `ALTER TABLE run_steps ADD CONSTRAINT ck_run_steps_status CHECK (status IN (${STEP_STATUSES_BEFORE}))`,
    );
    await queryRunner.query(`ALTER TABLE runs DROP CONSTRAINT ck_runs_status`);
    await queryRunner.query(
      `ALTER TABLE runs ADD CONSTRAINT ck_runs_status CHECK (status IN (${RUN_STATUSES_BEFORE}))`,
    );
    await queryRunner.query(`ALTER TABLE step_attempts DROP COLUMN tries`);
  }
}
