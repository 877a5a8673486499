import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model API runtimes (docs/runtimes.md): an attempt of a step with a `models:` fallback chain may
 * try several models before one answers; `tries` keeps each one (model, runtime, outcome, error,
 * cost) so every try's cost is on record, not only the sum in `cost_usd`. Adding a nullable
 * column without a default is a catalogue change: no rewrite, no long lock.
 */
export class ModelRuntimes1796600000000 implements MigrationInterface {
  name = 'ModelRuntimes1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE step_attempts ADD COLUMN tries jsonb NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE step_attempts DROP COLUMN tries`);
  }
}
