import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { PgClient } from '@sandcastle/persistence';
import type { Statement } from './run-store';

type Answers<S extends readonly Statement<unknown>[]> = {
  [K in keyof S]: S[K] extends Statement<infer T> ? T : never;
};

/**
 * What every transition's transaction starts with. READ COMMITTED (PostgreSQL's default, stated
 * because correctness depends on it): each statement sees what committed before it began.
 *
 * Then the planner settings of the transaction (`set_config(…, true)` = SET LOCAL), one statement:
 * - Generic plans: the engine's statements are prepared once per connection and look rows up by
 *   key, so a plan made once serves every transition; without this PostgreSQL keeps re-planning
 *   the ones whose generic plan it estimates dearer (the slot usage), a measurable part of a
 *   transition.
 * - Key lookups, whatever the statistics say: no sequential scans, hash joins or merge joins.
 *   Every statement of a transition reads or writes a batch's own rows through a key or an index
 *   (run ids, step keys, attempt keys, the tenants' partial indexes), but a plan is made once, from
 *   the statistics of that moment. Made while a table was small, it joins the batch to the whole
 *   table (hash join over a scan) and keeps doing so as the table grows, until the next ANALYZE:
 *   with autovacuum off, PostgreSQL's CPU per chain step grew from 0.26 to 2.8 ms in 40 s, and
 *   a new deployment meets the same until autovacuum's first ANALYZE (docs/architecture.md).
 *   These settings only price those plans out; a statement with no index to use still runs.
 */
const OPENING: readonly Statement<null>[] = [
  { sql: 'BEGIN ISOLATION LEVEL READ COMMITTED', params: [], read: () => null },
  {
    sql: `SELECT set_config('plan_cache_mode', 'force_generic_plan', true),
                 set_config('enable_seqscan', 'off', true),
                 set_config('enable_hashjoin', 'off', true),
                 set_config('enable_mergejoin', 'off', true)`,
    params: [],
    read: () => null,
  },
];

const COMMIT: Statement<null> = { sql: 'COMMIT', params: [], read: () => null };

/**
 * One transition's database transaction, opened in a single round trip. A transition's first
 * statements (BEGIN, the run locks, the step rows, the attempts' records, the tenants' slot
 * usage) do not depend on each other's answers, so on a pipelined connection they are written
 * together and answered together instead of one round trip each — on a busy engine the waits
 * and socket writes of those round trips were a large part of a step's cost (docs/architecture.md).
 *
 * The correctness rules are unchanged: PostgreSQL still runs the statements one after another,
 * each with its own snapshot under READ COMMITTED, so the step rows are read after every run
 * lock is held exactly as when they were sent one by one (DESIGN.md rule 1). When a statement
 * fails, the ones behind it fail too (the transaction is aborted) and the session rolls back.
 * The same holds at the end: the last statement and COMMIT go together (`runAndCommit`).
 */
export class TransitionSession {
  private ended = false;
  private committed = false;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly client: PgClient,
  ) {}

  /**
   * Takes a connection, begins a READ COMMITTED transaction and runs `statements` in it, in
   * order. The answers come back in the same order. On failure nothing is left open.
   */
  static async begin<const S extends readonly Statement<unknown>[]>(
    db: DataSource,
    statements: S,
  ): Promise<{ session: TransitionSession; answers: Answers<S> }> {
    const runner = db.createQueryRunner();
    const client = (await runner.connect()) as PgClient;
    const session = new TransitionSession(runner, client);
    try {
      const rows = await session.sendAll([...OPENING, ...statements]);
      const answers = statements.map((s, i) => s.read(rows[i + OPENING.length]!)) as Answers<S>;
      return { session, answers };
    } catch (err) {
      await session.rollback();
      throw err;
    }
  }

  /** The transaction's manager, for the statements that depend on what was read. */
  get em(): EntityManager {
    return this.runner.manager;
  }

  /** Runs one statement in the transaction (prepared once per connection when it has a name). */
  async run<T>(statement: Statement<T>): Promise<T> {
    return statement.read((await this.ask(statement)).rows);
  }

  private ask(s: Statement<unknown>): Promise<{ rows: Record<string, unknown>[] }> {
    if (s.sql === null) return Promise.resolve({ rows: [] });
    const values = [...s.params];
    return s.name
      ? this.client.query({ name: s.name, text: s.sql, values })
      : this.client.query(s.sql, values);
  }

  async commit(): Promise<void> {
    if (this.committed) return;
    if (this.ended) throw new Error('the transition session was rolled back; it cannot commit');
    try {
      await this.client.query('COMMIT');
      this.committed = true;
    } finally {
      this.end();
    }
  }

  /**
   * Runs the transaction's last statement and commits, in one round trip on a pipelined
   * connection. Nothing is committed unless the statement succeeded: after a failed statement the
   * transaction is aborted and PostgreSQL answers COMMIT with a rollback; the statement's error
   * is thrown (then `rollback()` only gives the connection back). A failed COMMIT is thrown too,
   * so the caller never publishes what was not committed.
   */
  async runAndCommit<T>(statement: Statement<T>): Promise<T> {
    if (this.ended) throw new Error('the transition session has ended');
    const [rows] = await this.sendAll([statement, COMMIT]);
    this.committed = true;
    this.end();
    return statement.read(rows!);
  }

  /** Rolls back (when still open) and gives the connection back; never throws. */
  async rollback(): Promise<void> {
    if (this.ended) return;
    try {
      await this.client.query('ROLLBACK');
    } catch {
      // The connection broke: the server rolls the transaction back when it notices.
    } finally {
      this.end();
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    void this.runner.release();
  }

  /**
   * Sends the statements together on a pipelined connection (one write, one wait), else one by
   * one. Every answer is awaited before the first error is thrown, so nothing of this
   * transaction is still in flight when the caller rolls back.
   */
  private async sendAll(statements: readonly Statement<unknown>[]): Promise<Record<string, unknown>[][]> {
    if (!this.client.pipeline) {
      const rows: Record<string, unknown>[][] = [];
      for (const s of statements) rows.push((await this.ask(s)).rows);
      return rows;
    }
    // node-postgres writes each statement as it is issued (one socket write each); corked, the
    // whole batch leaves in one write and PostgreSQL reads it at once (docs/architecture.md).
    const socket = this.client.connection?.stream;
    socket?.cork?.();
    let answers: Promise<{ rows: Record<string, unknown>[] }>[];
    try {
      answers = statements.map((s) => this.ask(s));
    } finally {
      socket?.uncork?.();
    }
    const settled = await Promise.allSettled(answers);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<{ rows: Record<string, unknown>[] }>).value.rows);
  }
}
