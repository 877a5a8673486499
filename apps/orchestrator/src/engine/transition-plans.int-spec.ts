// The plans a transition's statements run with, on real PostgreSQL: key lookups whatever the
// statistics said when the plans were made (transition-session.ts, OPENING).
import { STORED_STEP_ITEM_INDEX, type PgClient } from '@sandcastle/persistence';
import type { RunEngine } from './run-engine';
import { EngineFixture } from './testing/engine-fixture';
import { resultOf } from './testing/machine-harness';

const TWO_STEPS = `
name: Two
runtime: simulated
steps:
  - id: first
    prompt: "hi"
  - id: second
    depends_on: [first]
    prompt: "again {steps.first.output}"
`;

/** Runs (each with two finished step rows) added behind the statistics' back: no ANALYZE. */
const GROWTH = 4000;

/** Plan nodes that read a whole table, or join a batch to one by reading it all. */
const WHOLE_TABLE = /Seq Scan on (runs|run_steps|step_attempts)|Hash Join|Merge Join/;

describe('transition plans (real PostgreSQL)', () => {
  const f = new EngineFixture();
  let engine: RunEngine;
  /** Every plan the engine's one connection ran, as auto_explain sent it (NOTICE). */
  const plans: string[] = [];

  beforeAll(async () => {
    await f.setUp('tp');
    // One connection, so the plans it caches are the ones every transition uses.
    const t = await f.engine({ maxBatchesInFlight: 1 }, { replica: 'plans', poolSize: 1 });
    engine = t.engine;
    const runner = t.db.createQueryRunner();
    const client = (await runner.connect()) as PgClient & { on(e: 'notice', l: (n: Error) => void): void };
    client.on('notice', (notice) => plans.push(notice.message));
    await runner.query(`LOAD 'auto_explain'`);
    await runner.query(`SET auto_explain.log_min_duration = 0`);
    await runner.query(`SET auto_explain.log_level = 'notice'`);
    await runner.release();
  });
  afterAll(() => f.tearDown());

  /** Starts a run and completes its two steps through the engine: every transition statement runs. */
  async function runThrough(): Promise<void> {
    const runId = await f.insertRun(TWO_STEPS);
    expect(await engine.startRun(runId)).toBe(true);
    for (const stepId of ['first', 'second']) {
      const [dispatch] = (await f.queued([runId])).filter((d) => d.stepId === stepId);
      expect(await engine.applyResult(resultOf(dispatch!, 'completed', { ok: stepId }))).toBe('applied');
    }
    expect((await f.runStatus(runId)).status).toBe('completed');
  }

  it('keeps meeting runs, steps and attempts through their keys after the tables outgrow the statistics', async () => {
    // Statistics of near-empty tables, then the plans made from them (generic, cached per connection).
    await f.db.query(`ANALYZE runs, run_steps, step_attempts`);
    await runThrough();
    await runThrough();
    // The tables grow far beyond what the statistics (and the cached plans) know of.
    await f.db.query(
      `WITH added AS (
         INSERT INTO runs (id, tenant_id, workflow_name, definition, input_data, root_run_id, status)
         SELECT id, 'default', 'test', '{}'::jsonb, '{}'::jsonb, id, 'completed'
           FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $1)) g
         RETURNING id
       ), steps AS (
         INSERT INTO run_steps (run_id, tenant_id, step_id, status)
         SELECT a.id, 'default', s.step_id, 'completed' FROM added a, (VALUES ('first'), ('second')) s(step_id)
         RETURNING run_id, step_id
       )
       INSERT INTO step_attempts (run_id, step_id, item_index, attempt, tenant_id, outcome)
       SELECT run_id, step_id, ${STORED_STEP_ITEM_INDEX}, 1, 'default', 'completed' FROM steps`,
      [GROWTH],
    );
    plans.length = 0;
    await runThrough();

    const ours = plans.filter((p) => /(runs|run_steps|step_attempts)/.test(p));
    // The plans were heard: the run locks, the step rows, the attempt records, the saves.
    expect(ours.length).toBeGreaterThanOrEqual(6);
    // Made from the statistics of near-empty tables, they would scan every run and step row.
    expect(ours.filter((p) => WHOLE_TABLE.test(p))).toEqual([]);
    // A key lookup (an index condition), not a full scan of the index.
    expect(ours.some((p) => /Index Scan using pk_runs/.test(p) && /Index Cond/.test(p))).toBe(true);
  });
});
