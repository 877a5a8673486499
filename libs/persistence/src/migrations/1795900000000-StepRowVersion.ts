import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A write counter on `run_steps`, for optimistic concurrency on top of the run row lock.
 *
 * The orchestrator changes a run only while it holds the run's row lock and reads the step rows
 * after taking it; `row_version` makes a violation of that rule loud instead of silent. Every
 * write of a step row sets `row_version` to the version it read plus one, and the upsert only
 * applies where the stored version is still the one read. A writer that worked from a stale read
 * changes nothing and its whole transaction is rolled back (see run-store.ts `saveTransitions`),
 * so a step row never moves backwards (a `started` can never overwrite a finished attempt).
 */
export class StepRowVersion1795900000000 implements MigrationInterface {
  name = 'StepRowVersion1795900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE run_steps ADD COLUMN row_version integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE run_steps DROP COLUMN IF EXISTS row_version`);
  }
}
