import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  checkConsistency,
  CONSISTENCY_CHECKS,
  type ConsistencyOptions,
  type ConsistencyReport,
} from './check-consistency';
import {
  CLEAN_ATTEMPTS,
  insertAttempts,
  insertRun,
  insertSteps,
  seedCompletedRun,
  type SeededRun,
} from './testing/consistency-fixtures';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = db.dataSource;
});

afterAll(async () => {
  await db.drop();
});

const query = (sql: string, params?: unknown[]) => ds.query<unknown[]>(sql, params);

/** Every test works in a tenant of its own, so checks scoped to it see only its rows. */
function tenant(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

async function check(options: ConsistencyOptions): Promise<ConsistencyReport> {
  return checkConsistency(query, options);
}

/** The failing checks and their counts, e.g. `{ run_totals_mismatch: 1 }`. */
function counts(report: ConsistencyReport): Record<string, number> {
  return Object.fromEntries(report.problems.map((p) => [p.check, p.count]));
}

function problem(report: ConsistencyReport, name: string) {
  const found = report.problems.find((p) => p.check === name);
  if (!found) throw new Error(`expected a ${name} problem, got ${JSON.stringify(counts(report))}`);
  return found;
}

async function exec(sql: string, params: unknown[] = []): Promise<void> {
  await ds.query(sql, params);
}

describe('checkConsistency on consistent data', () => {
  it('finds nothing in a completed run with plain and fan-out steps, and lists every check it ran', async () => {
    const run = await seedCompletedRun(ds, tenant());
    const report = await check({ tenantId: run.tenantId });
    expect(report).toEqual({
      ok: true,
      checkedAt: expect.any(String),
      checks: CONSISTENCY_CHECKS.map((c) => c.name),
      problems: [],
    });
    expect(report.checks).toEqual([
      'attempt_completed_not_applied',
      'completed_without_attempt',
      'run_totals_mismatch',
      'terminal_run_live_steps',
      'completed_run_unfinished_steps',
      'completed_run_missing_steps',
      'fan_out_item_count',
      'outbox_backlog',
      'outbox_set_aside',
      'stalled_runs',
    ]);
  });

  it('accepts what the engine legitimately leaves behind', async () => {
    const t = tenant();
    const parent = await seedCompletedRun(ds, t);

    // A replay from `summarise`: fetch and enrich (with its items) restored at no cost and without
    // attempts; summarise ran again.
    const replay = await insertRun(ds, {
      tenantId: t,
      status: 'completed',
      kind: 'replay',
      parentRunId: parent.runId,
    });
    await insertSteps(ds, replay, t, [
      { stepId: 'fetch', status: 'completed', attempt: 1, restoredFrom: parent.runId },
      { stepId: 'enrich', itemCount: 2, status: 'completed', attempt: 0, restoredFrom: parent.runId },
      { stepId: 'enrich', itemIndex: 0, status: 'completed', attempt: 2, restoredFrom: parent.runId },
      { stepId: 'enrich', itemIndex: 1, status: 'failed', attempt: 3, restoredFrom: parent.runId },
      {
        stepId: 'summarise',
        status: 'completed',
        attempt: 1,
        costUsd: 0.25,
        inputTokens: 7,
        outputTokens: 3,
      },
    ]);
    await insertAttempts(ds, replay, t, [
      {
        stepId: 'summarise',
        attempt: 1,
        outcome: 'completed',
        costUsd: 0.25,
        inputTokens: 7,
        outputTokens: 3,
      },
    ]);
    await exec(
      `UPDATE runs SET total_cost_usd = 0.25, total_input_tokens = 7, total_output_tokens = 3 WHERE id = $1`,
      [replay],
    );

    // A completed run whose item 1 failed into the dead letter queue; summarise failed, then was
    // skipped (`on_failure: skip`).
    const dead = await seedCompletedRun(ds, t);
    await exec(
      `UPDATE run_steps SET status = 'failed' WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 1`,
      [dead.runId],
    );
    await exec(
      `UPDATE step_attempts SET outcome = 'failed' WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 1`,
      [dead.runId],
    );
    await exec(
      `INSERT INTO dead_letter_items (tenant_id, run_id, workflow_name, step_id, item_index, error, attempts)
       VALUES ($1, $2, 'enrich-leads', 'enrich', 1, 'boom', 1)`,
      [t, dead.runId],
    );
    await exec(`UPDATE run_steps SET status = 'skipped' WHERE run_id = $1 AND step_id = 'summarise'`, [
      dead.runId,
    ]);
    await exec(`UPDATE step_attempts SET outcome = 'failed' WHERE run_id = $1 AND step_id = 'summarise'`, [
      dead.runId,
    ]);

    // Cancelled while summarise ran; its result came afterwards: recorded, cost added, stale.
    const cancelled = await seedCompletedRun(ds, t, 'cancelled');
    await exec(`UPDATE run_steps SET status = 'cancelled' WHERE run_id = $1 AND step_id = 'summarise'`, [
      cancelled.runId,
    ]);

    // Cancelled (or failed) before it started: no step rows at all.
    await insertRun(ds, { tenantId: t, status: 'cancelled' });
    await insertRun(ds, { tenantId: t, status: 'queued' });

    // A fan-out over zero items completes at once, with no item rows.
    const empty = await insertRun(ds, { tenantId: t, status: 'running' });
    await insertSteps(ds, empty, t, [
      { stepId: 'fetch', status: 'completed', attempt: 1 },
      { stepId: 'enrich', itemCount: 0, status: 'completed', attempt: 0 },
      { stepId: 'summarise', status: 'queued', attempt: 1 },
    ]);
    await insertAttempts(ds, empty, t, [
      { stepId: 'fetch', attempt: 1, outcome: 'completed', costUsd: 0, inputTokens: 0, outputTokens: 0 },
    ]);

    // Running runs, quiet for an hour, but with an attempt in flight or a retry scheduled.
    for (const live of [
      { status: 'queued', attempt: 2 },
      { status: 'running', attempt: 2 },
      { status: 'pending', attempt: 1, nextAttemptAt: new Date(Date.now() + 60_000).toISOString() },
    ]) {
      const run = await seedCompletedRun(ds, t, 'running');
      await exec(
        `UPDATE run_steps SET status = $2, attempt = $3, next_attempt_at = $4 WHERE run_id = $1 AND step_id = 'summarise'`,
        [run.runId, live.status, live.attempt, live.nextAttemptAt ?? null],
      );
      await exec(
        `UPDATE step_attempts SET outcome = 'failed' WHERE run_id = $1 AND step_id = 'summarise' AND attempt = 1`,
        [run.runId],
      );
      await exec(`UPDATE run_steps SET updated_at = now() - interval '1 hour' WHERE run_id = $1`, [
        run.runId,
      ]);
      await exec(`UPDATE runs SET updated_at = now() - interval '1 hour' WHERE id = $1`, [run.runId]);
    }

    // A running run with nothing in flight, but whose last change is recent (under the threshold).
    const recent = await seedCompletedRun(ds, t, 'running');
    await exec(`UPDATE run_steps SET status = 'pending' WHERE run_id = $1 AND step_id = 'summarise'`, [
      recent.runId,
    ]);
    await exec(`UPDATE step_attempts SET outcome = 'failed' WHERE run_id = $1 AND step_id = 'summarise'`, [
      recent.runId,
    ]);

    // A message written a moment ago, not yet deleted after its publish.
    await exec(`INSERT INTO outbox (subject, msg_id, payload) VALUES ('sc.step.dispatch', $1, '{}')`, [
      `dispatch:${recent.runId}:summarise:-:1`,
    ]);

    const report = await check({ tenantId: t });
    expect(counts(report)).toEqual({});
    expect(report.ok).toBe(true);
  });
});

describe('checkConsistency finds each kind of inconsistency', () => {
  let run: SeededRun;

  beforeEach(async () => {
    run = await seedCompletedRun(ds, tenant());
  });

  it('attempt_completed_not_applied: a completed result that never reached its row', async () => {
    // The run goes on, but summarise's completed attempt 1 left the row running.
    await exec(`UPDATE runs SET status = 'running' WHERE id = $1`, [run.runId]);
    await exec(`UPDATE run_steps SET status = 'running' WHERE run_id = $1 AND step_id = 'summarise'`, [
      run.runId,
    ]);
    // A cancelled row in a live run is no excuse either.
    await exec(`UPDATE run_steps SET status = 'cancelled' WHERE run_id = $1 AND step_id = 'fetch'`, [
      run.runId,
    ]);

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ attempt_completed_not_applied: 2 });
    expect(report.ok).toBe(false);
    expect(problem(report, 'attempt_completed_not_applied').examples).toEqual([
      expect.objectContaining({
        run_id: run.runId,
        tenant_id: run.tenantId,
        run_status: 'running',
        step_id: 'fetch',
        item_index: -1,
        attempt: 1,
        step_status: 'cancelled',
      }),
      expect.objectContaining({
        run_id: run.runId,
        step_id: 'summarise',
        attempt: 1,
        step_status: 'running',
      }),
    ]);
  });

  it('completed_without_attempt: a completed row whose attempt has no completed result', async () => {
    await exec(`DELETE FROM step_attempts WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 1`, [
      run.runId,
    ]);
    // Item 0's row says attempt 1, which failed (its completed attempt is 2).
    await exec(
      `UPDATE run_steps SET attempt = 1 WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 0`,
      [run.runId],
    );

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ completed_without_attempt: 2 });
    expect(problem(report, 'completed_without_attempt').examples).toEqual([
      {
        run_id: run.runId,
        tenant_id: run.tenantId,
        run_status: 'completed',
        step_id: 'enrich',
        item_index: 0,
        attempt: 1,
        attempt_outcome: 'failed',
      },
      {
        run_id: run.runId,
        tenant_id: run.tenantId,
        run_status: 'completed',
        step_id: 'enrich',
        item_index: 1,
        attempt: 1,
        attempt_outcome: null,
      },
    ]);
  });

  it('run_totals_mismatch: run totals that are not the sum of the step rows', async () => {
    await exec(`UPDATE runs SET total_cost_usd = total_cost_usd + 0.01 WHERE id = $1`, [run.runId]);
    const tokens = await seedCompletedRun(ds, run.tenantId);
    await exec(
      `UPDATE run_steps SET output_tokens = output_tokens + 1 WHERE run_id = $1 AND step_id = 'fetch'`,
      [tokens.runId],
    );
    // The fan-out step row's aggregate is not part of the sum, whatever it says.
    const aggregate = await seedCompletedRun(ds, run.tenantId);
    await exec(
      `UPDATE run_steps SET cost_usd = 99, input_tokens = 5 WHERE run_id = $1 AND step_id = 'enrich' AND item_index = -1`,
      [aggregate.runId],
    );

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ run_totals_mismatch: 2 });
    const examples = problem(report, 'run_totals_mismatch').examples as Record<string, unknown>[];
    const byRun = new Map(examples.map((e) => [e['run_id'], e]));
    expect(byRun.get(run.runId)).toMatchObject({
      total_cost_usd: 1.21,
      steps_cost_usd: expect.closeTo(1.2, 9),
      total_input_tokens: 650,
      steps_input_tokens: 650,
    });
    expect(byRun.get(tokens.runId)).toMatchObject({ total_output_tokens: 65, steps_output_tokens: 66 });
  });

  it('run_totals_mismatch: tolerates float rounding below a micro-dollar, and no more', async () => {
    const stepsCost = async (): Promise<number> => {
      const [row] = await ds.query<{ cost: number }[]>(
        `SELECT sum(cost_usd) AS cost FROM run_steps WHERE run_id = $1 AND NOT (item_index = -1 AND item_count IS NOT NULL)`,
        [run.runId],
      );
      return row!.cost;
    };
    const setTotal = (usd: number) =>
      exec(`UPDATE runs SET total_cost_usd = $2 WHERE id = $1`, [run.runId, usd]);
    const sum = await stepsCost();
    await setTotal(sum + 9e-7);
    expect(counts(await check({ tenantId: run.tenantId }))).toEqual({});
    await setTotal(sum - 9e-7);
    expect(counts(await check({ tenantId: run.tenantId }))).toEqual({});
    await setTotal(sum + 2e-6);
    expect(counts(await check({ tenantId: run.tenantId }))).toEqual({ run_totals_mismatch: 1 });
    expect(counts(await check({ tenantId: run.tenantId, costToleranceUsd: 1e-5 }))).toEqual({});
  });

  it('terminal_run_live_steps: rows still pending, queued or running after the run ended', async () => {
    await exec(`UPDATE runs SET status = 'failed' WHERE id = $1`, [run.runId]);
    await exec(
      `UPDATE run_steps SET status = 'queued', attempt = 2 WHERE run_id = $1 AND step_id = 'summarise'`,
      [run.runId],
    );
    await exec(
      `UPDATE run_steps SET status = 'running' WHERE run_id = $1 AND step_id = 'enrich' AND item_index = -1`,
      [run.runId],
    );
    const budget = await seedCompletedRun(ds, run.tenantId, 'budget_exceeded');
    await exec(
      `UPDATE run_steps SET status = 'pending', attempt = 0 WHERE run_id = $1 AND step_id = 'summarise'`,
      [budget.runId],
    );

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ terminal_run_live_steps: 3 });
    const examples = problem(report, 'terminal_run_live_steps').examples;
    expect(examples).toHaveLength(3);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          run_id: run.runId,
          run_status: 'failed',
          step_id: 'summarise',
          step_status: 'queued',
        }),
        expect.objectContaining({
          run_id: run.runId,
          step_id: 'enrich',
          item_index: -1,
          step_status: 'running',
        }),
        expect.objectContaining({
          run_id: budget.runId,
          run_status: 'budget_exceeded',
          step_status: 'pending',
        }),
      ]),
    );
  });

  it('completed_run_unfinished_steps: a cancelled row, or a failed one without a dead letter', async () => {
    await exec(`UPDATE run_steps SET status = 'cancelled' WHERE run_id = $1 AND step_id = 'summarise'`, [
      run.runId,
    ]);
    await exec(
      `UPDATE run_steps SET status = 'failed' WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 1`,
      [run.runId],
    );
    await exec(
      `UPDATE step_attempts SET outcome = 'failed' WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 1`,
      [run.runId],
    );

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ completed_run_unfinished_steps: 2 });
    expect(problem(report, 'completed_run_unfinished_steps').examples).toEqual([
      expect.objectContaining({ run_id: run.runId, step_id: 'enrich', item_index: 1, step_status: 'failed' }),
      expect.objectContaining({
        run_id: run.runId,
        step_id: 'summarise',
        item_index: -1,
        step_status: 'cancelled',
      }),
    ]);
  });

  it('completed_run_missing_steps: a step of the definition without a row', async () => {
    await exec(`DELETE FROM run_steps WHERE run_id = $1 AND step_id = 'summarise'`, [run.runId]);
    await exec(`DELETE FROM step_attempts WHERE run_id = $1 AND step_id = 'summarise'`, [run.runId]);
    await exec(
      `UPDATE runs SET total_cost_usd = 0.5, total_input_tokens = 600, total_output_tokens = 60 WHERE id = $1`,
      [run.runId],
    );

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ completed_run_missing_steps: 1 });
    expect(problem(report, 'completed_run_missing_steps').examples).toEqual([
      { run_id: run.runId, tenant_id: run.tenantId, step_id: 'summarise' },
    ]);
  });

  it('fan_out_item_count: item rows that do not match the item count', async () => {
    // Item 1 is gone (with its attempt and its share of the totals).
    await exec(`DELETE FROM run_steps WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 1`, [
      run.runId,
    ]);
    await exec(`DELETE FROM step_attempts WHERE run_id = $1 AND step_id = 'enrich' AND item_index = 1`, [
      run.runId,
    ]);
    await exec(
      `UPDATE runs SET total_cost_usd = 1.0, total_input_tokens = 350, total_output_tokens = 35 WHERE id = $1`,
      [run.runId],
    );
    // In a live run too: an item row under a plain step.
    const live = await seedCompletedRun(ds, run.tenantId, 'running');
    await exec(
      `UPDATE run_steps SET status = 'running', attempt = 2 WHERE run_id = $1 AND step_id = 'summarise'`,
      [live.runId],
    );
    await insertSteps(ds, live.runId, live.tenantId, [
      { stepId: 'fetch', itemIndex: 0, status: 'pending', attempt: 0 },
    ]);

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ fan_out_item_count: 2 });
    const examples = problem(report, 'fan_out_item_count').examples;
    expect(examples).toEqual(
      expect.arrayContaining([
        {
          run_id: run.runId,
          tenant_id: run.tenantId,
          step_id: 'enrich',
          item_count: 2,
          item_rows: 1,
          first_item: 0,
          last_item: 0,
          step_row_missing: false,
        },
        expect.objectContaining({ run_id: live.runId, step_id: 'fetch', item_count: null, item_rows: 1 }),
      ]),
    );
  });

  it('outbox_backlog: messages older than the threshold, with the oldest age', async () => {
    await exec(
      `INSERT INTO outbox (subject, msg_id, payload, created_at) VALUES
         ('sc.step.dispatch', $1, '{}', now() - interval '120 seconds'),
         ('sc.evt.run.x', $2, '{}', now() - interval '90 seconds'),
         ('sc.step.dispatch', $3, '{}', now())`,
      [
        `dispatch:${run.runId}:summarise:-:1`,
        `evt:${run.runId}:${randomUUID()}`,
        `dispatch:${run.runId}:fetch:-:1`,
      ],
    );
    // Another tenant's old message is not this tenant's problem.
    const other = await seedCompletedRun(ds, tenant());
    await exec(
      `INSERT INTO outbox (subject, msg_id, payload, created_at) VALUES ('sc.step.dispatch', $1, '{}', now() - interval '1 hour')`,
      [`dispatch:${other.runId}:fetch:-:1`],
    );

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ outbox_backlog: 2 });
    const backlog = problem(report, 'outbox_backlog');
    expect(backlog.examples).toEqual([
      expect.objectContaining({ subject: 'sc.step.dispatch', msg_id: `dispatch:${run.runId}:summarise:-:1` }),
      expect.objectContaining({ subject: 'sc.evt.run.x' }),
    ]);
    const oldest = backlog.details?.['oldestAgeMs'] as number;
    expect(oldest).toBeGreaterThanOrEqual(120_000);
    expect(oldest).toBeLessThan(125_000);
    expect(backlog.description).toMatch(
      /^2 outbox message\(s\) older than 60 s, the oldest 12\d(\.\d)? s old/,
    );

    expect(counts(await check({ tenantId: run.tenantId, outboxMaxAgeMs: 100_000 }))).toEqual({
      outbox_backlog: 1,
    });
    expect(counts(await check({ tenantId: run.tenantId, outboxMaxAgeMs: 300_000 }))).toEqual({});
    expect(counts(await check({ runIds: [other.runId] }))).toEqual({ outbox_backlog: 1 });
  });

  it('stalled_runs: running runs with nothing in flight and no recent activity', async () => {
    // summarise waits for enrich, whose fan-out row still says running although both items are done.
    await exec(
      `UPDATE runs SET status = 'running', updated_at = now() - interval '10 minutes' WHERE id = $1`,
      [run.runId],
    );
    await exec(
      `UPDATE run_steps SET status = 'running' WHERE run_id = $1 AND step_id = 'enrich' AND item_index = -1`,
      [run.runId],
    );
    await exec(
      `UPDATE run_steps SET status = 'pending', attempt = 0 WHERE run_id = $1 AND step_id = 'summarise'`,
      [run.runId],
    );
    await exec(`UPDATE step_attempts SET outcome = 'failed' WHERE run_id = $1 AND step_id = 'summarise'`, [
      run.runId,
    ]);
    await exec(`UPDATE run_steps SET updated_at = now() - interval '8 minutes' WHERE run_id = $1`, [
      run.runId,
    ]);

    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ stalled_runs: 1 });
    const [example] = problem(report, 'stalled_runs').examples as Record<string, unknown>[];
    expect(example).toMatchObject({
      run_id: run.runId,
      tenant_id: run.tenantId,
      step_statuses: { completed: 3, running: 1, pending: 1 },
    });
    expect(example?.['idle_ms']).toBeGreaterThanOrEqual(8 * 60_000);
    expect(example?.['idle_ms']).toBeLessThan(9 * 60_000);

    expect(counts(await check({ tenantId: run.tenantId, stallAfterMs: 9 * 60_000 }))).toEqual({});
  });

  it('outbox_set_aside: messages set aside after repeated publish failures, not also outbox_backlog', async () => {
    await exec(
      `INSERT INTO outbox (subject, msg_id, payload, created_at, attempts, last_error, failed_at) VALUES
         ('sc.step.dispatch', $1, '{"big":true}', now() - interval '10 minutes', 5, 'MAX_PAYLOAD_EXCEEDED', now()),
         ('sc.step.dispatch', $2, '{}', now(), 1, 'timeout', NULL)`,
      [`dispatch:${run.runId}:fetch:-:1`, `dispatch:${run.runId}:summarise:-:1`],
    );
    const report = await check({ tenantId: run.tenantId });
    expect(counts(report)).toEqual({ outbox_set_aside: 1 });
    expect(problem(report, 'outbox_set_aside').examples).toEqual([
      expect.objectContaining({
        kind: 'stream',
        msg_id: `dispatch:${run.runId}:fetch:-:1`,
        attempts: 5,
        last_error: 'MAX_PAYLOAD_EXCEEDED',
        payload_chars: 12,
      }),
    ]);
    expect(counts(await check({ tenantId: tenant() }))).toEqual({});
  });

  it('accepts the late real result of an attempt declared lost, and attempts waiting for a tenant slot', async () => {
    // The last attempt of summarise was declared lost (the run failed); its real result came later.
    await exec(`UPDATE runs SET status = 'failed' WHERE id = $1`, [run.runId]);
    await exec(`UPDATE run_steps SET status = 'failed' WHERE run_id = $1 AND step_id = 'summarise'`, [
      run.runId,
    ]);
    await exec(
      `UPDATE step_attempts SET replaced_lost_at = now() WHERE run_id = $1 AND step_id = 'summarise'`,
      [run.runId],
    );
    expect(counts(await check({ tenantId: run.tenantId }))).toEqual({});
    await exec(`UPDATE step_attempts SET replaced_lost_at = NULL WHERE run_id = $1`, [run.runId]);
    expect(counts(await check({ tenantId: run.tenantId }))).toEqual({ attempt_completed_not_applied: 1 });

    // A running run whose next attempt waits for a slot of its tenant is not stalled.
    const waiting = await seedCompletedRun(ds, tenant());
    await exec(`UPDATE runs SET status = 'running', updated_at = now() - interval '1 hour' WHERE id = $1`, [
      waiting.runId,
    ]);
    await exec(
      `UPDATE run_steps SET status = 'pending', updated_at = now() - interval '1 hour',
              waiting_since = now() - interval '1 hour'
        WHERE run_id = $1 AND step_id = 'summarise'`,
      [waiting.runId],
    );
    await exec(`DELETE FROM step_attempts WHERE run_id = $1 AND step_id = 'summarise'`, [waiting.runId]);
    await exec(
      `UPDATE runs SET total_cost_usd = total_cost_usd - 0.7, total_input_tokens = total_input_tokens - 50,
              total_output_tokens = total_output_tokens - 5 WHERE id = $1`,
      [waiting.runId],
    );
    await exec(
      `UPDATE run_steps SET cost_usd = 0, input_tokens = 0, output_tokens = 0
                 WHERE run_id = $1 AND step_id = 'summarise'`,
      [waiting.runId],
    );
    await exec(`UPDATE run_steps SET updated_at = now() - interval '1 hour' WHERE run_id = $1`, [
      waiting.runId,
    ]);
    expect(counts(await check({ tenantId: waiting.tenantId }))).toEqual({});
    await exec(`UPDATE run_steps SET waiting_since = NULL WHERE run_id = $1`, [waiting.runId]);
    expect(counts(await check({ tenantId: waiting.tenantId }))).toEqual({ stalled_runs: 1 });
  });
});

describe('checkConsistency scope and options', () => {
  it('checks only the tenant and runs asked for', async () => {
    const broken = await seedCompletedRun(ds, tenant());
    await exec(`UPDATE runs SET total_input_tokens = 0 WHERE id = $1`, [broken.runId]);
    const clean = await seedCompletedRun(ds, tenant());

    expect(counts(await check({ tenantId: broken.tenantId }))).toEqual({ run_totals_mismatch: 1 });
    expect(counts(await check({ tenantId: clean.tenantId }))).toEqual({});
    expect(counts(await check({ runIds: [clean.runId] }))).toEqual({});
    expect(counts(await check({ runIds: [clean.runId, broken.runId] }))).toEqual({ run_totals_mismatch: 1 });
    // Both filters apply together.
    expect(counts(await check({ tenantId: clean.tenantId, runIds: [broken.runId] }))).toEqual({});
    // Unscoped, it is there too (with whatever else this file's tests broke).
    const all = await check({});
    expect(
      (problem(all, 'run_totals_mismatch').examples as { run_id: string }[]).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('keeps at most `examples` examples but counts them all', async () => {
    const t = tenant();
    const runs: SeededRun[] = [];
    for (let i = 0; i < 3; i++) runs.push(await seedCompletedRun(ds, t));
    await exec(`UPDATE runs SET total_cost_usd = 5 WHERE tenant_id = $1`, [t]);

    const report = await check({ tenantId: t, examples: 2 });
    expect(problem(report, 'run_totals_mismatch').count).toBe(3);
    const ids = runs.map((r) => r.runId).sort();
    expect(
      (problem(report, 'run_totals_mismatch').examples as { run_id: string }[]).map((e) => e.run_id),
    ).toEqual(ids.slice(0, 2));
    expect(problem(await check({ tenantId: t, examples: 0 }), 'run_totals_mismatch')).toMatchObject({
      count: 3,
      examples: [],
    });
  });

  it('refuses bad options before it queries', async () => {
    await expect(check({ runIds: ['not-a-uuid'] })).rejects.toThrow('not a run id (a uuid): "not-a-uuid"');
    await expect(check({ outboxMaxAgeMs: -1 })).rejects.toThrow('outboxMaxAgeMs must be a number >= 0');
    await expect(check({ examples: 1.5 })).rejects.toThrow('examples must be an integer');
  });

  it('writes nothing: it runs inside a READ ONLY transaction', async () => {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const report = await checkConsistency((sql, params) => runner.query(sql, params), {
        tenantId: tenant(),
      });
      expect(report.ok).toBe(true);
      await runner.query('ROLLBACK');
    } finally {
      await runner.release();
    }
  });
});

// CLEAN_ATTEMPTS is the contract of seedCompletedRun's rows: keep the fixture honest.
it('the fixture adds up', () => {
  expect(CLEAN_ATTEMPTS.reduce((n, a) => n + a.inputTokens, 0)).toBe(650);
});
