// The engine's column descriptors against the migrated schema: every column they map exists with
// the type the write statements cast to, and every column of the two tables is either mapped or
// listed below as deliberately not mapped. A migration that adds, renames or retypes a column of
// runs or run_steps fails here until the descriptor (columns/) follows it.
import { createTestDatabase, type TestDatabase } from '@sandcastle/persistence/testing';
import { RUN_COLUMNS } from './run-columns';
import { STEP_COLUMNS } from './step-columns';
import type { SqlType, TableColumns } from './table-columns';

// How information_schema spells the types the descriptors use.
const INFORMATION_SCHEMA_TYPE: Record<SqlType, string> = {
  uuid: 'uuid',
  varchar: 'character varying',
  text: 'text',
  int: 'integer',
  'double precision': 'double precision',
  boolean: 'boolean',
  jsonb: 'jsonb',
  timestamptz: 'timestamp with time zone',
};

/** Columns the engine does not map, by table: each needs a reason to stay out of the descriptor. */
const NOT_MAPPED: Record<string, string[]> = {
  // `id` is made by the database; `run_id` and `tenant_id` are the run's, written with every row;
  // `updated_at` is set by every write.
  run_steps: ['id', 'run_id', 'tenant_id', 'updated_at'],
  // Written by the gateway or the scheduler when the run is created, never read by the engine
  // (storage_path is written by the completion writer; callback_url and schedule_id are read, to
  // know whether the notifier is to hear of the run); `updated_at` is set by every write.
  runs: [
    'catch_up',
    'fork_changes',
    'idempotency_key',
    'missed_fires',
    'request_hash',
    'root_run_id',
    'scheduled_for',
    'storage_path',
    'updated_at',
    'workflow_version',
  ],
};

interface DbColumn {
  column_name: string;
  data_type: string;
}

describe('the engine column descriptors', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function columnsOf(table: string): Promise<DbColumn[]> {
    return db.dataSource.query<DbColumn[]>(
      `SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
  }

  describe.each<[string, TableColumns<unknown>]>([
    ['run_steps', STEP_COLUMNS],
    ['runs', RUN_COLUMNS],
  ])('%s', (table, descriptor) => {
    it('maps each column once, to a property of its own', () => {
      const names = descriptor.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      expect(descriptor.table).toBe(table);
      for (const name of NOT_MAPPED[table]!) expect(names).not.toContain(name);
    });

    it('names only columns that exist, with the type its statements cast them to', async () => {
      const inDb = new Map((await columnsOf(table)).map((c) => [c.column_name, c.data_type]));
      for (const c of descriptor.columns) {
        expect({ column: c.name, type: inDb.get(c.name) }).toEqual({
          column: c.name,
          type: INFORMATION_SCHEMA_TYPE[c.type],
        });
      }
    });

    it('leaves out only the columns listed as not mapped', async () => {
      const inDb = (await columnsOf(table)).map((c) => c.column_name);
      const accounted = [...descriptor.columns.map((c) => c.name), ...NOT_MAPPED[table]!];
      expect(inDb.sort()).toEqual(accounted.sort());
    });
  });
});
