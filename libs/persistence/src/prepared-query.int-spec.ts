import { randomUUID } from 'node:crypto';
import { isPgUniqueViolation } from './pg-errors.util';
import { preparedQuery } from './prepared-query';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

/** Named prepared statements through TypeORM's connections (real PostgreSQL). */
describe('preparedQuery', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(`CREATE TABLE prepared_probe (id uuid PRIMARY KEY, n int NOT NULL)`);
  });
  afterAll(() => db.drop());

  const insert = 'INSERT INTO prepared_probe (id, n) VALUES ($1, $2) RETURNING n';

  it('prepares a statement under its name on the connection and answers every call with its rows', async () => {
    for (let n = 0; n < 3; n++) {
      expect(await preparedQuery(db.dataSource.manager, 'probe_insert', insert, [randomUUID(), n])).toEqual([
        { n },
      ]);
    }
    // On one connection (a transaction's), the statement is prepared once, under its name.
    const prepared = await db.dataSource.transaction(async (em) => {
      await preparedQuery(em, 'probe_insert', insert, [randomUUID(), 3]);
      await preparedQuery(em, 'probe_insert', insert, [randomUUID(), 4]);
      return preparedQuery<{ name: string; statement: string }>(
        em,
        'probe_prepared',
        `SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'probe_%' ORDER BY name`,
        [],
      );
    });
    expect(prepared).toEqual([
      { name: 'probe_insert', statement: insert },
      { name: 'probe_prepared', statement: expect.stringContaining('pg_prepared_statements') },
    ]);
  });

  it("runs in the manager's transaction: a rollback takes its write back", async () => {
    const id = randomUUID();
    await expect(
      db.dataSource.transaction(async (em) => {
        await preparedQuery(em, 'probe_insert', insert, [id, 7]);
        const seen = await em.query(`SELECT n FROM prepared_probe WHERE id = $1`, [id]);
        expect(seen).toEqual([{ n: 7 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.dataSource.query(`SELECT n FROM prepared_probe WHERE id = $1`, [id])).toEqual([]);
  });

  it('lets callers recognise a unique violation, with its constraint', async () => {
    const id = randomUUID();
    await preparedQuery(db.dataSource.manager, 'probe_insert', insert, [id, 1]);
    const failed = await preparedQuery(db.dataSource.manager, 'probe_insert', insert, [id, 2]).catch(
      (e) => e,
    );
    expect(isPgUniqueViolation(failed, 'prepared_probe_pkey')).toBe(true);
  });
});
