import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops `ix_outbox_created`. Every outbox query reads either the messages still to publish
 * (`failed_at IS NULL`: ix_outbox_pending, on the same created_at) or the set-aside ones
 * (ix_outbox_set_aside), so the full index only cost an insert and a delete per message — five
 * of each per step on the engine's hot path. Older code runs unchanged on the new schema.
 */
export class OutboxPendingIndexOnly1796800000000 implements MigrationInterface {
  name = 'OutboxPendingIndexOnly1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ix_outbox_created`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS ix_outbox_created ON outbox (created_at)`);
  }
}
