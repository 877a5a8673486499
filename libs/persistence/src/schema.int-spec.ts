import type { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { runMigrations } from './run-migrations';
import { createTestDatabase, type TestDatabase } from './testing';

const TABLES = [
  'api_keys',
  'approvals',
  'dead_letter_items',
  'outbox',
  'run_artifacts',
  'run_steps',
  'runs',
  'schedules',
  'step_attempts',
  'webhook_attempts',
  'webhook_deliveries',
  'workflows',
];

// How information_schema spells the types the entities declare.
const INFORMATION_SCHEMA_TYPE: Record<string, string> = {
  uuid: 'uuid',
  varchar: 'character varying',
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  boolean: 'boolean',
  jsonb: 'jsonb',
  timestamptz: 'timestamp with time zone',
  'double precision': 'double precision',
};

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  is_nullable: 'YES' | 'NO';
}

async function tablesIn(ds: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

describe('the migrated schema', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('creates every table and records each migration in typeorm_migrations', async () => {
    expect(await tablesIn(db.dataSource)).toEqual([...TABLES, 'typeorm_migrations'].sort());
    const applied: { name: string }[] = await db.dataSource.query('SELECT name FROM typeorm_migrations');
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
  });

  it('has every entity column in the database with the declared type, length and nullability', async () => {
    const dbColumns: DbColumn[] = await db.dataSource.query(
      `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1)`,
      [TABLES],
    );
    const mapped = new Set<string>();
    for (const entity of db.dataSource.entityMetadatas) {
      for (const column of entity.columns) {
        const key = `${entity.tableName}.${column.databaseName}`;
        mapped.add(key);
        const actual = dbColumns.find(
          (c) => c.table_name === entity.tableName && c.column_name === column.databaseName,
        );
        expect({ key, found: actual !== undefined }).toEqual({ key, found: true });
        expect({
          key,
          type: actual!.data_type,
          length: actual!.character_maximum_length,
          nullable: actual!.is_nullable === 'YES',
        }).toEqual({
          key,
          type: INFORMATION_SCHEMA_TYPE[String(column.type)],
          length: column.length === '' ? null : Number(column.length),
          nullable: column.isNullable,
        });
      }
    }
    // …and no database column that no entity maps.
    expect(dbColumns.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual([...mapped].sort());
  });

  it('has the same primary keys as the entities', async () => {
    const rows: { table_name: string; column_name: string }[] = await db.dataSource.query(
      `SELECT tc.table_name, kcu.column_name
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' AND tc.table_name = ANY($1)`,
      [TABLES],
    );
    for (const entity of db.dataSource.entityMetadatas) {
      const inDb = rows.filter((r) => r.table_name === entity.tableName).map((r) => r.column_name);
      expect(inDb.sort()).toEqual(entity.primaryColumns.map((c) => c.databaseName).sort());
    }
  });

  it('names every index the orchestrator relies on', async () => {
    const rows: { indexname: string }[] = await db.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1)`,
      [TABLES],
    );
    expect(rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        'uq_workflows_tenant_name_version',
        'ix_workflows_tenant_name',
        'ix_runs_tenant_created',
        'ix_runs_tenant_status_created',
        'ix_runs_tenant_workflow_created',
        'ix_runs_parent',
        'ix_runs_active',
        'uq_runs_tenant_idempotency',
        'uq_run_steps_run_step_item',
        'ix_run_steps_retry_due',
        'ix_run_steps_deadline',
        'pk_step_attempts',
        'ix_outbox_pending',
        'ix_outbox_set_aside',
        'uq_api_keys_key_hash',
        'ix_api_keys_tenant',
      ]),
    );
  });

  it('keeps no full index on outbox.created_at (only pending and set-aside messages are ever read)', async () => {
    const rows: { indexname: string }[] = await db.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'outbox'`,
    );
    expect(rows.map((r) => r.indexname).sort()).toEqual([
      'ix_outbox_pending',
      'ix_outbox_set_aside',
      'pk_outbox',
    ]);
  });

  it('is not applied twice', async () => {
    expect(await runMigrations(db.url)).toEqual([]);
  });
});

describe('migrating down and up again', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('undoes every migration, dropping every table, and recreates them on the next run', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++)
      await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tablesIn(db.dataSource)).toEqual(['typeorm_migrations']);
    expect(await db.dataSource.query('SELECT name FROM typeorm_migrations')).toEqual([]);

    expect(await runMigrations(db.url)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(await tablesIn(db.dataSource)).toEqual([...TABLES, 'typeorm_migrations'].sort());
  });
});
