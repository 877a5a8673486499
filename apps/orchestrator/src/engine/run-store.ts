import type { EntityManager } from 'typeorm';
import type { StepResult } from '@sandcastle/contracts';
import type { OutgoingMessage } from '@sandcastle/messaging';
import type { RunRow, StepRow } from './run-state';

/**
 * SQL for the engine's hot path. Plain statements on purpose: one round trip each, no entity
 * hydration, and the row lock is explicit. Every function takes the transaction's manager.
 */
type Q = Pick<EntityManager, 'query'>;

interface RawRun {
  id: string;
  tenant_id: string;
  workflow_name: string;
  definition: RunRow['definition'];
  status: RunRow['status'];
  input_data: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error: string | null;
  total_cost_usd: number;
  total_input_tokens: number;
  total_output_tokens: number;
  max_cost_usd: number | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

/** Locks the run row for the rest of the transaction. `skipLocked` returns null instead of waiting. */
export async function lockRun(q: Q, runId: string, skipLocked = false): Promise<RunRow | null> {
  const rows = (await q.query(
    `SELECT id, tenant_id, workflow_name, definition, status, input_data, outputs, error, total_cost_usd,
            total_input_tokens, total_output_tokens, max_cost_usd, created_at, started_at, completed_at
       FROM runs WHERE id = $1 FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
    [runId],
  )) as RawRun[];
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    workflowName: r.workflow_name,
    definition: r.definition,
    status: r.status,
    inputData: r.input_data,
    outputs: r.outputs,
    error: r.error,
    totalCostUsd: r.total_cost_usd,
    totalInputTokens: r.total_input_tokens,
    totalOutputTokens: r.total_output_tokens,
    maxCostUsd: r.max_cost_usd,
    createdAt: r.created_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
  };
}

export async function saveRun(q: Q, run: RunRow): Promise<void> {
  await q.query(
    `UPDATE runs SET status = $2, outputs = $3::jsonb, error = $4, total_cost_usd = $5, total_input_tokens = $6,
            total_output_tokens = $7, started_at = $8, completed_at = $9, updated_at = now()
      WHERE id = $1`,
    [
      run.id,
      run.status,
      JSON.stringify(run.outputs),
      run.error,
      run.totalCostUsd,
      run.totalInputTokens,
      run.totalOutputTokens,
      run.startedAt,
      run.completedAt,
    ],
  );
}

interface RawStep {
  step_id: string;
  item_index: number;
  item_count: number | null;
  status: StepRow['status'];
  attempt: number;
  output: unknown;
  error: string | null;
  error_kind: string | null;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  num_turns: number;
  duration_seconds: number | null;
  model: string | null;
  runtime: StepRow['runtime'];
  prompt: string | null;
  is_fallback: boolean;
  executor_id: string | null;
  queued_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
  next_attempt_at: Date | null;
  deadline_at: Date | null;
  restored_from: string | null;
}

const STEP_COLUMNS = `step_id, item_index, item_count, status, attempt, output, error, error_kind, cost_usd, input_tokens,
  output_tokens, num_turns, duration_seconds, model, runtime, prompt, is_fallback, executor_id, queued_at, started_at,
  completed_at, next_attempt_at, deadline_at, restored_from`;

export async function loadSteps(q: Q, runId: string): Promise<StepRow[]> {
  const rows = (await q.query(`SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_id = $1`, [
    runId,
  ])) as RawStep[];
  return rows.map((r) => ({
    stepId: r.step_id,
    itemIndex: r.item_index,
    itemCount: r.item_count,
    status: r.status,
    attempt: r.attempt,
    output: r.output,
    error: r.error,
    errorKind: r.error_kind,
    costUsd: r.cost_usd,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    numTurns: r.num_turns,
    durationSeconds: r.duration_seconds,
    model: r.model,
    runtime: r.runtime,
    prompt: r.prompt,
    isFallback: r.is_fallback,
    executorId: r.executor_id,
    queuedAt: r.queued_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    nextAttemptAt: r.next_attempt_at,
    deadlineAt: r.deadline_at,
    restoredFrom: r.restored_from,
  }));
}

/** Inserts or updates the given step rows in one statement. */
export async function saveSteps(q: Q, runId: string, tenantId: string, rows: StepRow[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({
    step_id: r.stepId,
    item_index: r.itemIndex,
    item_count: r.itemCount,
    status: r.status,
    attempt: r.attempt,
    output: r.output === undefined ? null : r.output,
    error: r.error,
    error_kind: r.errorKind,
    cost_usd: r.costUsd,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    num_turns: r.numTurns,
    duration_seconds: r.durationSeconds,
    model: r.model,
    runtime: r.runtime,
    prompt: r.prompt,
    is_fallback: r.isFallback,
    executor_id: r.executorId,
    queued_at: r.queuedAt,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    next_attempt_at: r.nextAttemptAt,
    deadline_at: r.deadlineAt,
    restored_from: r.restoredFrom,
  }));
  await q.query(
    `INSERT INTO run_steps (run_id, tenant_id, ${STEP_COLUMNS})
     SELECT $1, $2, ${STEP_COLUMNS}
       FROM jsonb_to_recordset($3::jsonb) AS x(step_id varchar, item_index int, item_count int, status varchar,
            attempt int, output jsonb, error text, error_kind varchar, cost_usd double precision, input_tokens int,
            output_tokens int, num_turns int, duration_seconds double precision, model varchar, runtime varchar,
            prompt text, is_fallback boolean, executor_id varchar, queued_at timestamptz, started_at timestamptz,
            completed_at timestamptz, next_attempt_at timestamptz, deadline_at timestamptz, restored_from uuid)
     ON CONFLICT (run_id, step_id, item_index) DO UPDATE SET
       item_count = EXCLUDED.item_count, status = EXCLUDED.status, attempt = EXCLUDED.attempt,
       output = EXCLUDED.output, error = EXCLUDED.error, error_kind = EXCLUDED.error_kind,
       cost_usd = EXCLUDED.cost_usd, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
       num_turns = EXCLUDED.num_turns, duration_seconds = EXCLUDED.duration_seconds, model = EXCLUDED.model,
       runtime = EXCLUDED.runtime, prompt = EXCLUDED.prompt, is_fallback = EXCLUDED.is_fallback,
       executor_id = EXCLUDED.executor_id, queued_at = EXCLUDED.queued_at, started_at = EXCLUDED.started_at,
       completed_at = EXCLUDED.completed_at, next_attempt_at = EXCLUDED.next_attempt_at,
       deadline_at = EXCLUDED.deadline_at, restored_from = EXCLUDED.restored_from, updated_at = now()`,
    [runId, tenantId, JSON.stringify(records)],
  );
}

/**
 * Records an attempt's result. The primary key (run, step, item, attempt) makes this the
 * "apply once" gate: false means this attempt was recorded before, so the caller changes nothing.
 */
export async function recordAttempt(q: Q, r: StepResult): Promise<boolean> {
  const rows = (await q.query(
    `INSERT INTO step_attempts (run_id, step_id, item_index, attempt, tenant_id, outcome, output, error, error_kind,
            cost_usd, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens, num_turns,
            model, runtime, executor_id, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT ON CONSTRAINT pk_step_attempts DO NOTHING
     RETURNING attempt`,
    [
      r.runId,
      r.stepId,
      r.itemIndex ?? -1,
      r.attempt,
      r.tenantId,
      r.outcome,
      JSON.stringify(r.output ?? null),
      r.error,
      r.errorKind,
      r.costUsd,
      r.usage.inputTokens,
      r.usage.outputTokens,
      r.usage.cacheCreationInputTokens,
      r.usage.cacheReadInputTokens,
      r.numTurns,
      r.model,
      r.runtime,
      r.executorId,
      r.startedAt,
      r.finishedAt,
    ],
  )) as unknown[];
  return rows.length > 0;
}

export interface OutboxRow extends OutgoingMessage {
  id: string;
}

/** Stores messages to publish after commit. Returns them with their outbox ids. */
export async function insertOutbox(q: Q, messages: OutgoingMessage[]): Promise<OutboxRow[]> {
  if (messages.length === 0) return [];
  const records = messages.map((m) => ({
    subject: m.subject,
    msg_id: m.msgId,
    payload: typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload),
  }));
  const rows = (await q.query(
    `INSERT INTO outbox (subject, msg_id, payload)
     SELECT subject, msg_id, payload FROM jsonb_to_recordset($1::jsonb) AS x(subject varchar, msg_id varchar, payload text)
     RETURNING id, subject, msg_id, payload`,
    [JSON.stringify(records)],
  )) as { id: string; subject: string; msg_id: string; payload: string }[];
  return rows.map((r) => ({ id: r.id, subject: r.subject, msgId: r.msg_id, payload: r.payload }));
}

export async function deleteOutbox(q: Q, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [ids]);
}

/** Outbox rows left behind by a crash between commit and publish (older than `minAgeMs`). */
export async function claimStaleOutbox(q: Q, minAgeMs: number, limit: number): Promise<OutboxRow[]> {
  const rows = (await q.query(
    `SELECT id, subject, msg_id, payload FROM outbox
      WHERE created_at < now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [minAgeMs, limit],
  )) as { id: string; subject: string; msg_id: string; payload: string }[];
  return rows.map((r) => ({ id: r.id, subject: r.subject, msgId: r.msg_id, payload: r.payload }));
}

/** Runs with a retry whose backoff has elapsed. */
export async function runsWithDueRetries(q: Q, limit: number): Promise<string[]> {
  const rows = (await q.query(
    `SELECT DISTINCT run_id FROM run_steps WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= now() LIMIT $1`,
    [limit],
  )) as { run_id: string }[];
  return rows.map((r) => r.run_id);
}

/** Runs with an attempt past its deadline (its executor presumably died). */
export async function runsWithLostAttempts(q: Q, limit: number): Promise<string[]> {
  const rows = (await q.query(
    `SELECT DISTINCT run_id FROM run_steps
      WHERE status IN ('queued', 'running') AND deadline_at < now() LIMIT $1`,
    [limit],
  )) as { run_id: string }[];
  return rows.map((r) => r.run_id);
}

/** Queued runs whose start command may have been lost (the gateway died after commit). */
export async function staleQueuedRuns(
  q: Q,
  minAgeMs: number,
  limit: number,
): Promise<{ id: string; tenantId: string }[]> {
  const rows = (await q.query(
    `SELECT id, tenant_id FROM runs
      WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY created_at LIMIT $2`,
    [minAgeMs, limit],
  )) as { id: string; tenant_id: string }[];
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
}
