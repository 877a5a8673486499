import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Storage (docs/storage.md): what each run wrote to object storage, and where on_complete stored
 * its outputs.
 *
 * `run_artifacts` has one row per run and artifact name (an offloaded output, a Sandstorm file,
 * a `storage_write`, the on_complete object); the object itself is in storage under the tenant's
 * prefix (`object_key`). The retention sweep reads it by age (`ix_run_artifacts_created`), the
 * API by run. Rows go with their run (ON DELETE CASCADE).
 */
export class RunArtifacts1796500000000 implements MigrationInterface {
  name = 'RunArtifacts1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE runs ADD COLUMN storage_path text NULL`);
    await queryRunner.query(
      `CREATE TABLE run_artifacts (
        run_id uuid NOT NULL,
        tenant_id varchar(100) NOT NULL,
        name varchar(255) NOT NULL,
        kind varchar(20) NOT NULL,
        object_key text NOT NULL,
        size_bytes bigint NOT NULL,
        content_type varchar(200) NOT NULL,
        step_id varchar(100) NULL,
        item_index integer NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_run_artifacts PRIMARY KEY (run_id, name),
        CONSTRAINT fk_run_artifacts_run FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE,
        CONSTRAINT ck_run_artifacts_kind CHECK (kind IN ('output', 'file', 'write', 'result')),
        CONSTRAINT ck_run_artifacts_size CHECK (size_bytes >= 0)
      )`,
    );
    await queryRunner.query(`CREATE INDEX ix_run_artifacts_created ON run_artifacts (created_at)`);
    await queryRunner.query(`CREATE INDEX ix_run_artifacts_tenant ON run_artifacts (tenant_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS run_artifacts`);
    await queryRunner.query(`ALTER TABLE runs DROP COLUMN IF EXISTS storage_path`);
  }
}
