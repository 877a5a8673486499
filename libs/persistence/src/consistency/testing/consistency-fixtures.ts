import { randomUUID } from 'node:crypto';
import { addUsd } from '@sandcastle/contracts';
import { itemIndexToDb } from '../../columns/item-index';

/** Anything with DataSource's `query`. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface SeededRun {
  runId: string;
  tenantId: string;
}

interface StepRowSeed {
  stepId: string;
  /** A fan-out item; absent or null: the step's own row. */
  itemIndex?: number | null;
  itemCount?: number | null;
  status: string;
  attempt: number;
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
  restoredFrom?: string | null;
  nextAttemptAt?: string | null;
}

interface AttemptSeed {
  stepId: string;
  /** A fan-out item; absent or null: the step's own row. */
  itemIndex?: number | null;
  attempt: number;
  outcome: 'completed' | 'failed';
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export const DEFINITION = {
  name: 'enrich-leads',
  steps: [
    { id: 'fetch', prompt: 'fetch' },
    {
      id: 'enrich',
      prompt: 'enrich {{_item}}',
      parallel_over: '{{steps.fetch.output.leads}}',
      depends_on: ['fetch'],
    },
    { id: 'summarise', prompt: 'summarise', depends_on: ['enrich'] },
  ],
};

export async function insertRun(
  sql: Sql,
  fields: { tenantId: string; status: string; runId?: string; parentRunId?: string; kind?: string },
): Promise<string> {
  const id = fields.runId ?? randomUUID();
  await sql.query(
    `INSERT INTO runs (id, tenant_id, workflow_name, definition, status, kind, parent_run_id, started_at, completed_at)
     VALUES ($1::uuid, $2, 'enrich-leads', $3::jsonb, $4::varchar, $5, $6::uuid, now(),
             CASE WHEN $4::varchar IN ('queued', 'running') THEN NULL ELSE now() END)`,
    [
      id,
      fields.tenantId,
      JSON.stringify(DEFINITION),
      fields.status,
      fields.kind ?? 'original',
      fields.parentRunId ?? null,
    ],
  );
  return id;
}

export async function insertSteps(
  sql: Sql,
  runId: string,
  tenantId: string,
  rows: StepRowSeed[],
): Promise<void> {
  for (const r of rows) {
    await sql.query(
      `INSERT INTO run_steps (run_id, tenant_id, step_id, item_index, item_count, status, attempt, cost_usd,
                              input_tokens, output_tokens, restored_from, next_attempt_at, completed_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6::varchar, $7, $8, $9, $10, $11::uuid, $12::timestamptz,
               CASE WHEN $6::varchar IN ('completed', 'failed', 'skipped', 'cancelled') THEN now() END)`,
      [
        runId,
        tenantId,
        r.stepId,
        itemIndexToDb(r.itemIndex ?? null),
        r.itemCount ?? null,
        r.status,
        r.attempt,
        r.costUsd ?? 0,
        r.inputTokens ?? 0,
        r.outputTokens ?? 0,
        r.restoredFrom ?? null,
        r.nextAttemptAt ?? null,
      ],
    );
  }
}

export async function insertAttempts(
  sql: Sql,
  runId: string,
  tenantId: string,
  attempts: AttemptSeed[],
): Promise<void> {
  for (const a of attempts) {
    await sql.query(
      `INSERT INTO step_attempts (run_id, step_id, item_index, attempt, tenant_id, outcome, cost_usd, input_tokens,
                                  output_tokens, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), now())`,
      [
        runId,
        a.stepId,
        itemIndexToDb(a.itemIndex ?? null),
        a.attempt,
        tenantId,
        a.outcome,
        a.costUsd,
        a.inputTokens,
        a.outputTokens,
      ],
    );
  }
}

/** Sets a run's totals the way the engine does: addUsd per applied attempt, in order. */
export async function setTotalsFromAttempts(sql: Sql, runId: string, attempts: AttemptSeed[]): Promise<void> {
  const cost = attempts.reduce((sum, a) => addUsd(sum, a.costUsd), 0);
  const input = attempts.reduce((sum, a) => sum + a.inputTokens, 0);
  const output = attempts.reduce((sum, a) => sum + a.outputTokens, 0);
  await sql.query(
    `UPDATE runs SET total_cost_usd = $2, total_input_tokens = $3, total_output_tokens = $4 WHERE id = $1`,
    [runId, cost, input, output],
  );
}

/**
 * The attempts of a clean run of DEFINITION: fetch once; enrich over two items, item 0 failing
 * once before it completes; summarise once. Costs chosen so that a plain float sum drifts
 * (0.1 + 0.2 + … ≠ the addUsd total in the last bits).
 */
export const CLEAN_ATTEMPTS: AttemptSeed[] = [
  { stepId: 'fetch', attempt: 1, outcome: 'completed', costUsd: 0.1, inputTokens: 100, outputTokens: 10 },
  {
    stepId: 'enrich',
    itemIndex: 0,
    attempt: 1,
    outcome: 'failed',
    costUsd: 0.05,
    inputTokens: 40,
    outputTokens: 0,
  },
  {
    stepId: 'enrich',
    itemIndex: 0,
    attempt: 2,
    outcome: 'completed',
    costUsd: 0.15,
    inputTokens: 160,
    outputTokens: 20,
  },
  {
    stepId: 'enrich',
    itemIndex: 1,
    attempt: 1,
    outcome: 'completed',
    costUsd: 0.2,
    inputTokens: 300,
    outputTokens: 30,
  },
  { stepId: 'summarise', attempt: 1, outcome: 'completed', costUsd: 0.7, inputTokens: 50, outputTokens: 5 },
];

/**
 * A completed run of DEFINITION as the engine leaves it: a plain step, a fan-out step (its row
 * aggregates two items, one retried) and a last plain step; one attempt row per result; run
 * totals equal to the sum of the plain and item rows.
 */
export async function seedCompletedRun(sql: Sql, tenantId: string, status = 'completed'): Promise<SeededRun> {
  const runId = await insertRun(sql, { tenantId, status });
  await insertSteps(sql, runId, tenantId, [
    { stepId: 'fetch', status: 'completed', attempt: 1, costUsd: 0.1, inputTokens: 100, outputTokens: 10 },
    { stepId: 'enrich', itemCount: 2, status: 'completed', attempt: 0, costUsd: 0.4 },
    {
      stepId: 'enrich',
      itemIndex: 0,
      status: 'completed',
      attempt: 2,
      costUsd: addUsd(0.05, 0.15),
      inputTokens: 200,
      outputTokens: 20,
    },
    {
      stepId: 'enrich',
      itemIndex: 1,
      status: 'completed',
      attempt: 1,
      costUsd: 0.2,
      inputTokens: 300,
      outputTokens: 30,
    },
    { stepId: 'summarise', status: 'completed', attempt: 1, costUsd: 0.7, inputTokens: 50, outputTokens: 5 },
  ]);
  await insertAttempts(sql, runId, tenantId, CLEAN_ATTEMPTS);
  await setTotalsFromAttempts(sql, runId, CLEAN_ATTEMPTS);
  return { runId, tenantId };
}
