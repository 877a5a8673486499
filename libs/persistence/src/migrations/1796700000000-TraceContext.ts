import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One trace per run: the W3C `traceparent` a run was started under (the request's, or the
 * schedule firing's), and the one each outbox message is published with. The outbox keeps it so
 * a message published late by the relay, or again after a crash, still carries its run's trace;
 * the run keeps it for transitions no message started (retries coming due, lost attempts).
 * Adding nullable columns without a default is a catalogue change: no table rewrite.
 */
export class TraceContext1796700000000 implements MigrationInterface {
  name = 'TraceContext1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE runs ADD COLUMN traceparent varchar(55)`);
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN traceparent varchar(55)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN traceparent`);
    await queryRunner.query(`ALTER TABLE runs DROP COLUMN traceparent`);
  }
}
