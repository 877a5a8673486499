import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys: one row per key, belonging to one tenant. The key itself is never stored: only its
 * HMAC-SHA256 under API_KEY_SECRET (hex), so a leaked table does not leak usable keys, and the
 * unique index on the digest is the lookup path of every authenticated request. Keys are
 * deactivated, never deleted, so an audit can still tell which key did what.
 */
export class ApiKeys1795800000000 implements MigrationInterface {
  name = 'ApiKeys1795800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE api_keys (
      id                    uuid              NOT NULL DEFAULT gen_random_uuid(),
      tenant_id             varchar(100)      NOT NULL,
      name                  varchar(200)      NOT NULL,
      key_prefix            varchar(16)       NOT NULL,
      key_hash              varchar(64)       NOT NULL,
      is_active             boolean           NOT NULL DEFAULT true,
      max_cost_per_run_usd  double precision  NULL,
      created_at            timestamptz       NOT NULL DEFAULT now(),
      last_used_at          timestamptz       NULL,
      deactivated_at        timestamptz       NULL,
      CONSTRAINT pk_api_keys PRIMARY KEY (id),
      CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash),
      CONSTRAINT ck_api_keys_max_cost CHECK (max_cost_per_run_usd IS NULL OR max_cost_per_run_usd >= 0)
    )`);
    await queryRunner.query(`CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS api_keys`);
  }
}
