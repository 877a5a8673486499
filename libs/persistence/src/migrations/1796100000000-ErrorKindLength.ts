import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room for the stable error kinds of breached limits (`RUNTIME_STREAM_TOO_LARGE` has 24
 * characters; the column had 20). Widening a varchar is a catalogue change in PostgreSQL: no
 * table rewrite, no long lock.
 */
export class ErrorKindLength1796100000000 implements MigrationInterface {
  name = 'ErrorKindLength1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE run_steps ALTER COLUMN error_kind TYPE varchar(40)`);
    await queryRunner.query(`ALTER TABLE step_attempts ALTER COLUMN error_kind TYPE varchar(40)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Kinds longer than the old width are cut rather than making the rollback fail.
    await queryRunner.query(
      `ALTER TABLE run_steps ALTER COLUMN error_kind TYPE varchar(20) USING left(error_kind, 20)`,
    );
    await queryRunner.query(
      `ALTER TABLE step_attempts ALTER COLUMN error_kind TYPE varchar(20) USING left(error_kind, 20)`,
    );
  }
}
