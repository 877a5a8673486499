import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createDataSource } from './create-data-source';
import { isPgError } from './pg-errors.util';
import { createTestDatabase, type TestDatabase } from './testing';

describe('pool timeouts (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await createDataSource(db.url, {
      poolSize: 2,
      applicationName: 'sandcastle-timeouts-test',
      connectTimeoutMs: 2_000,
      statementTimeoutMs: 300,
      idleInTransactionTimeoutMs: 300,
    }).initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  it('cancels a statement over DB_STATEMENT_TIMEOUT_MS with query_canceled, and the pool stays usable', async () => {
    const failure = await dataSource.query('SELECT pg_sleep(5)').then(
      () => null,
      (err: unknown) => err,
    );
    expect(isPgError(failure, '57014')).toBe(true);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(await dataSource.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
  });

  it('ends a session left idle inside a transaction past DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, releasing its locks', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT 1');
      await new Promise((r) => setTimeout(r, 1_000));
      const failure = await runner.query('SELECT 1').then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).not.toBeNull();
    } finally {
      await runner.release().catch(() => undefined);
    }
    // The pool replaces the dead connection.
    expect(await dataSource.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it('gives up opening a connection after DB_CONNECT_TIMEOUT_MS when the server never answers', async () => {
    // A TCP server that accepts and then says nothing: a hung PostgreSQL, or a black-holed route.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    try {
      const failure = await createDataSource(`postgres://postgres@127.0.0.1:${port}/none`, {
        connectTimeoutMs: 500,
      })
        .initialize()
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(failure).toBeInstanceOf(Error);
      expect(String((failure as Error).message)).toMatch(/timeout/i);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
