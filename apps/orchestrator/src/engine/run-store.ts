import type { EntityManager } from 'typeorm';
import { TERMINAL_RUN_STATUSES, type StepResult } from '@sandcastle/contracts';
import { formatTraceparent, newTraceContext, parseTraceparent } from '@sandcastle/observability';
import { itemIndexFromDb, itemIndexToDb, STORED_STEP_ITEM_INDEX } from '@sandcastle/persistence';
import { RUN_COLUMNS } from './columns/run-columns';
import { STEP_COLUMNS } from './columns/step-columns';
import {
  columnNames,
  readConversions,
  recordOf,
  recordsetColumns,
  rowsFromDb,
  selectList,
  updateAssignments,
} from './columns/table-columns';
import type { DeadLetter, EngineMessage, OutboxKind, RunRow, StepRow } from './run-state';

/**
 * SQL for the engine's hot path. Plain statements on purpose: one round trip each, no entity
 * hydration, and the row lock is explicit. Every function takes the transaction's manager.
 */
type Q = Pick<EntityManager, 'query'>;

// Derived once from the column descriptors (columns/): what the engine reads and writes of a run
// and of its step rows.
const RUN_SELECT = selectList(RUN_COLUMNS.columns);
const RUN_FROM_DB = readConversions(RUN_COLUMNS.columns);
const RUN_WRITTEN = RUN_COLUMNS.columns.filter((c) => c.write !== 'read');
const STEP_SELECT = selectList(STEP_COLUMNS.columns);
const STEP_FROM_DB = readConversions(STEP_COLUMNS.columns);
const STEP_NAMES = columnNames(STEP_COLUMNS.columns);
const ROW_VERSION = STEP_COLUMNS.specs.rowVersion.name;

/**
 * Locks the given runs' rows for the rest of the transaction, then loads their step rows.
 *
 * Two statements on purpose (DESIGN.md rule 1): when `SELECT … FOR UPDATE` has to wait for
 * another transaction's lock, PostgreSQL re-reads only the locked row after the wait; anything
 * else the same statement reads (a subquery over `run_steps`) keeps the snapshot taken before
 * the wait, i.e. the state before the other transaction committed. The step rows are therefore
 * read by a second statement, which under READ COMMITTED takes a new snapshot, after every lock
 * is held. Rows are locked in id order, so two transactions locking overlapping sets never
 * deadlock. `skipLocked` leaves out runs another transaction holds instead of waiting for them.
 */
export async function lockRunsWithSteps(
  q: Q,
  runIds: readonly string[],
  skipLocked = false,
): Promise<LockedRuns> {
  const runs = await runStatement(q, lockRunsStatement(runIds, skipLocked));
  if (runs.length === 0) return new Map();
  return lockedRuns(runs, await runStatement(q, stepRowsStatement(runs.map((r) => r.id))));
}

/** The runs a transition holds the row locks of, each with its step rows. */
export type LockedRuns = Map<string, { run: RunRow; steps: StepRow[] }>;

/**
 * One statement and how to read its rows. A transition's first statements are built this way
 * so they can go to the server in one round trip (see transition-session.ts) as well as one by
 * one (`runStatement`).
 */
export interface Statement<T> {
  /**
   * Set on the engine's hot statements: a transition session prepares them once per connection
   * (parsed and planned once, not at every transition). Unique per SQL text.
   */
  readonly name?: string;
  /** Null: nothing to ask (an optional statement left out); `read([])` is the answer. */
  readonly sql: string | null;
  readonly params: readonly unknown[];
  read(rows: Record<string, unknown>[]): T;
}

/** A statement left out of a round trip, with the answer it stands for. */
export function notAsked<T>(answer: T): Statement<T> {
  return { sql: null, params: [], read: () => answer };
}

export async function runStatement<T>(q: Q, statement: Statement<T>): Promise<T> {
  if (statement.sql === null) return statement.read([]);
  return statement.read(await q.query<Record<string, unknown>[]>(statement.sql, [...statement.params]));
}

/** Locks the runs' rows (in id order) and reads them; `skipLocked` passes over rows others hold. */
export function lockRunsStatement(runIds: readonly string[], skipLocked: boolean): Statement<RunRow[]> {
  return {
    name: skipLocked ? 'sc_lock_runs_skip_locked' : 'sc_lock_runs',
    sql: `SELECT ${RUN_SELECT}
            FROM runs r WHERE r.id = ANY($1::uuid[]) ORDER BY r.id FOR UPDATE OF r${skipLocked ? ' SKIP LOCKED' : ''}`,
    params: [runIds],
    read: (rows) => rowsFromDb<RunRow>(rows, RUN_FROM_DB).map(withTrace),
  };
}

/** The step rows of the runs, by run (a statement of its own after the locks: see above). */
export function stepRowsStatement(runIds: readonly string[]): Statement<Map<string, StepRow[]>> {
  return {
    name: 'sc_step_rows',
    sql: `SELECT run_id AS "runId", ${STEP_SELECT} FROM run_steps WHERE run_id = ANY($1::uuid[])`,
    params: [runIds],
    read: (rows) => {
      const byRun = new Map<string, StepRow[]>();
      // `runId` groups the rows; it stays on them unused (the save maps the descriptor's columns only).
      for (const s of rowsFromDb<StepRow & { runId: string }>(rows, STEP_FROM_DB)) {
        const list = byRun.get(s.runId);
        if (list) list.push(s);
        else byRun.set(s.runId, [s]);
      }
      return byRun;
    },
  };
}

/** Pairs locked runs with their step rows (rows of runs not locked are dropped). */
export function lockedRuns(runs: readonly RunRow[], steps: Map<string, StepRow[]>): LockedRuns {
  const locked: LockedRuns = new Map();
  for (const run of runs) locked.set(run.id, { run, steps: steps.get(run.id) ?? [] });
  return locked;
}

/**
 * A run stored without a trace (created before traces existed) gets one here; it is stored with
 * the run's next change and kept from then on (the column is written `fill`).
 */
function withTrace(run: RunRow): RunRow {
  if (run.traceparent === null) run.traceparent = formatTraceparent(newTraceContext());
  return run;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/** Step rows of a run, without locking it (a replay reads its parent's finished steps). */
export async function loadStepRows(q: Q, runId: string): Promise<StepRow[]> {
  const rows = await q.query<Record<string, unknown>[]>(
    `SELECT ${STEP_SELECT} FROM run_steps WHERE run_id = $1`,
    [runId],
  );
  return rowsFromDb<StepRow>(rows, STEP_FROM_DB);
}

export interface OutboxRow extends EngineMessage {
  id: string;
  /** Failed publish tries so far. */
  attempts: number;
}

/** What one run's transition changed. */
export interface RunChanges {
  run: RunRow;
  runChanged: boolean;
  steps: StepRow[];
  messages: EngineMessage[];
  deadLetters: DeadLetter[];
}

/**
 * The statement of saveTransitions: $1 run records, $2 step records, $3 outbox rows, $4 dead
 * letters (jsonb arrays keyed by SQL column names). A step row is written only where its stored
 * row_version is the one the transition read (one less than the record's).
 */
const SAVE_TRANSITIONS = `WITH run_update AS (
     UPDATE runs r SET ${updateAssignments(RUN_WRITTEN, 'r', 'x')}, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(${recordsetColumns(RUN_WRITTEN)})
      WHERE r.id = x.id
   ), step_upsert AS (
     INSERT INTO run_steps (run_id, tenant_id, ${STEP_NAMES})
     SELECT run_id, tenant_id, ${STEP_NAMES}
       FROM jsonb_to_recordset($2::jsonb) AS x(run_id uuid, tenant_id varchar, ${recordsetColumns(STEP_COLUMNS.columns)})
     ON CONFLICT (run_id, step_id, item_index) DO UPDATE SET
       ${updateAssignments(STEP_COLUMNS.columns, 'run_steps', 'EXCLUDED')}, updated_at = now()
     WHERE run_steps.${ROW_VERSION} = EXCLUDED.${ROW_VERSION} - 1
     RETURNING 1
   ), dead_letter_insert AS (
     INSERT INTO dead_letter_items (tenant_id, run_id, workflow_name, step_id, item_index, error, input_data, attempts)
     SELECT tenant_id, run_id, workflow_name, step_id, item_index, error, input_data, attempts
       FROM jsonb_to_recordset($4::jsonb) AS x(tenant_id varchar, run_id uuid, workflow_name varchar,
            step_id varchar, item_index int, error text, input_data jsonb, attempts int)
     ON CONFLICT (run_id, step_id, item_index) DO NOTHING
   ), outbox_insert AS (
     INSERT INTO outbox (subject, msg_id, payload, kind, traceparent)
     SELECT subject, msg_id, payload, kind, traceparent
       FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (subject varchar, msg_id varchar, payload text,
            kind varchar, traceparent varchar)) WITH ORDINALITY AS x(subject, msg_id, payload, kind, traceparent, n)
      ORDER BY x.n
     RETURNING id
   )
   SELECT (SELECT count(*)::int FROM step_upsert) AS steps_written,
          (SELECT coalesce(array_agg(o.id ORDER BY o.id), '{}') FROM outbox_insert o) AS outbox_ids`;

/**
 * Persists the transitions of a batch in one round trip: changed run rows, changed step rows
 * (upsert) and the messages to publish after commit (outbox). Data-modifying CTEs all run, in
 * the same snapshot, whether or not the final SELECT reads them.
 */
export async function saveTransitions(q: Q, changes: readonly RunChanges[]): Promise<OutboxRow[]> {
  return runStatement(q, saveTransitionsStatement(changes));
}

/** The statement of saveTransitions (not asked when the transitions changed nothing). */
export function saveTransitionsStatement(changes: readonly RunChanges[]): Statement<OutboxRow[]> {
  const runRecords = changes.filter((c) => c.runChanged).map(({ run }) => recordOf(run, RUN_WRITTEN, {}));
  const stepRecords = changes.flatMap(({ run, steps }) =>
    steps.map((r) => {
      const record = recordOf(r, STEP_COLUMNS.columns, { run_id: run.id, tenant_id: run.tenantId });
      // The version this write creates: the upsert applies only where the stored one is the one read.
      record[ROW_VERSION] = r.rowVersion + 1;
      return record;
    }),
  );
  const deadLetterRecords = changes.flatMap(({ run, deadLetters }) =>
    deadLetters.map((d) => ({
      tenant_id: run.tenantId,
      run_id: run.id,
      workflow_name: run.workflowName,
      step_id: d.stepId,
      item_index: itemIndexToDb(d.itemIndex),
      error: d.error,
      input_data: d.inputData,
      attempts: d.attempts,
    })),
  );
  const outboxRecords = changes.flatMap(({ run, messages }) => {
    // Stored with the message, so the relay and any re-publish keep the run's trace. The parent
    // span is the run's root (the request or the schedule firing): a transition may batch
    // several runs, so the span handling the incoming message is not the parent of all of them.
    const traceparent = parseTraceparent(run.traceparent) ? run.traceparent : null;
    return messages.map((m) => ({
      subject: m.subject,
      msg_id: m.msgId,
      payload: typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload),
      kind: m.kind,
      traceparent,
    }));
  });
  if (runRecords.length + stepRecords.length + outboxRecords.length + deadLetterRecords.length === 0)
    return notAsked([]);
  return {
    name: 'sc_save_transitions',
    sql: SAVE_TRANSITIONS,
    params: [
      JSON.stringify(runRecords),
      JSON.stringify(stepRecords),
      JSON.stringify(outboxRecords),
      JSON.stringify(deadLetterRecords),
    ],
    read: (rows) => {
      const written = rows[0] as { steps_written: number; outbox_ids: (string | number)[] } | undefined;
      if (!written || written.steps_written !== stepRecords.length) {
        // Throwing rolls the whole transaction back: nothing of a transition built on a stale read lands.
        throw new StaleStepWriteError(stepRecords.length, written?.steps_written ?? 0);
      }
      // Only the ids come back, not the payloads again: rows are inserted in the order of the
      // records (ORDER BY the ordinality), so their ids ascend in that order.
      if (written.outbox_ids.length !== outboxRecords.length) {
        throw new Error(`the outbox took ${written.outbox_ids.length} of ${outboxRecords.length} messages`);
      }
      return outboxRecords.map((r, i) => outboxFromRaw({ ...r, id: written.outbox_ids[i]! }));
    },
  };
}

interface RawOutbox {
  id: string | number;
  subject: string;
  msg_id: string;
  payload: string;
  kind: OutboxKind;
  traceparent?: string | null;
  attempts?: number;
}

function outboxFromRaw(r: RawOutbox): OutboxRow {
  return {
    id: String(r.id),
    subject: r.subject,
    msgId: r.msg_id,
    payload: r.payload,
    kind: r.kind,
    traceparent: r.traceparent ?? null,
    attempts: r.attempts ?? 0,
  };
}

/**
 * A transition tried to write step rows that changed since it read them. It cannot happen while
 * every writer holds the run lock and reads after taking it; if it does, the transaction is
 * rolled back and the operation retried from a fresh read, instead of overwriting newer work.
 */
export class StaleStepWriteError extends Error {
  constructor(
    readonly expected: number,
    readonly written: number,
  ) {
    super(
      `stale step rows: ${expected - written} of ${expected} were changed by another writer since they were read`,
    );
    this.name = 'StaleStepWriteError';
  }
}

/** Key of one attempt: run, step, item (null for a plain step), attempt. */
export function attemptKey(r: Pick<StepResult, 'runId' | 'stepId' | 'itemIndex' | 'attempt'>): string {
  return `${r.runId}|${r.stepId}|${r.itemIndex}|${r.attempt}`;
}

/**
 * How an attempt's result was recorded: `new` (first time: apply it), `late` (the real result of
 * an attempt the reconciler had declared lost replaced its synthetic record: count its cost only).
 */
export type AttemptRecord = 'new' | 'late';

/**
 * Records attempts' results. The primary key (run, step, item, attempt) makes this the "apply
 * once" gate: the returned map holds the keys recorded now; a result whose key is missing was
 * recorded before, so its caller changes nothing. One exception, also exactly once: a real
 * result replaces the synthetic `lost` record of its attempt (`replaced_lost_at` is set, so a
 * second copy finds nothing to replace) and comes back as `late`.
 */
export async function recordAttempts(
  q: Q,
  results: readonly StepResult[],
): Promise<Map<string, AttemptRecord>> {
  if (results.length === 0) return new Map();
  return runStatement(q, recordAttemptsStatement(results));
}

/**
 * The statement of recordAttempts. Results of runs that do not exist are left out (nothing to
 * apply them to), so the statement can be sent before the caller knows which runs it locked.
 */
export function recordAttemptsStatement(
  results: readonly StepResult[],
): Statement<Map<string, AttemptRecord>> {
  // One row per key: ON CONFLICT DO UPDATE may not touch a row twice in one statement.
  const unique = [...new Map(results.map((r) => [attemptKey(r), r])).values()];
  const records = unique.map((r) => ({
    run_id: r.runId,
    step_id: r.stepId,
    item_index: itemIndexToDb(r.itemIndex),
    attempt: r.attempt,
    tenant_id: r.tenantId,
    outcome: r.outcome,
    output: r.output ?? null,
    error: r.error,
    error_kind: r.errorKind,
    cost_usd: r.costUsd,
    input_tokens: r.usage.inputTokens,
    output_tokens: r.usage.outputTokens,
    cache_creation_input_tokens: r.usage.cacheCreationInputTokens,
    cache_read_input_tokens: r.usage.cacheReadInputTokens,
    num_turns: r.numTurns,
    model: r.model,
    runtime: r.runtime,
    tries: r.tries ?? null,
    executor_id: r.executorId,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
  }));
  return {
    name: 'sc_record_attempts',
    sql: RECORD_ATTEMPTS,
    params: [JSON.stringify(records)],
    read: (rows) =>
      new Map(
        (
          rows as { run_id: string; step_id: string; item_index: number; attempt: number; late: boolean }[]
        ).map((r) => [
          attemptKey({
            runId: r.run_id,
            stepId: r.step_id,
            itemIndex: itemIndexFromDb(r.item_index),
            attempt: r.attempt,
          }),
          r.late ? 'late' : 'new',
        ]),
      ),
  };
}

const RECORD_ATTEMPTS = `INSERT INTO step_attempts (run_id, step_id, item_index, attempt, tenant_id, outcome, output, error, error_kind,
            cost_usd, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens, num_turns,
            model, runtime, tries, executor_id, started_at, finished_at)
     SELECT x.* FROM jsonb_to_recordset($1::jsonb) AS x(run_id uuid, step_id varchar, item_index int, attempt int,
            tenant_id varchar, outcome varchar, output jsonb, error text, error_kind varchar, cost_usd double precision,
            input_tokens int, output_tokens int, cache_creation_input_tokens int, cache_read_input_tokens int,
            num_turns int, model varchar, runtime varchar, tries jsonb, executor_id varchar, started_at timestamptz,
            finished_at timestamptz)
      WHERE EXISTS (SELECT 1 FROM runs WHERE runs.id = x.run_id)
     ON CONFLICT ON CONSTRAINT pk_step_attempts DO UPDATE SET
       outcome = EXCLUDED.outcome, output = EXCLUDED.output, error = EXCLUDED.error,
       error_kind = EXCLUDED.error_kind, cost_usd = EXCLUDED.cost_usd, input_tokens = EXCLUDED.input_tokens,
       output_tokens = EXCLUDED.output_tokens, cache_creation_input_tokens = EXCLUDED.cache_creation_input_tokens,
       cache_read_input_tokens = EXCLUDED.cache_read_input_tokens, num_turns = EXCLUDED.num_turns,
       model = EXCLUDED.model, runtime = EXCLUDED.runtime, tries = EXCLUDED.tries, executor_id = EXCLUDED.executor_id,
       started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, replaced_lost_at = now()
     WHERE step_attempts.error_kind = 'lost' AND step_attempts.replaced_lost_at IS NULL
       AND EXCLUDED.error_kind IS DISTINCT FROM 'lost'
     RETURNING run_id, step_id, item_index, attempt, replaced_lost_at IS NOT NULL AS late`;

export async function deleteOutbox(q: Q, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [ids]);
}

/**
 * Outbox rows left behind by a crash between commit and publish, or whose publish failed (older
 * than `minAgeMs`). Set-aside rows are not claimed: they wait for an operator.
 */
export async function claimStaleOutbox(q: Q, minAgeMs: number, limit: number): Promise<OutboxRow[]> {
  const rows = await q.query<RawOutbox[]>(
    `SELECT id, subject, msg_id, payload, kind, traceparent, attempts FROM outbox
      WHERE failed_at IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [minAgeMs, limit],
  );
  return rows.map(outboxFromRaw);
}

/** An outbox row whose publish failed, with the error (kept short: it is stored and logged). */
export interface OutboxFailure {
  id: string;
  error: string;
}

/**
 * Counts a failed publish try of each row; a row reaching `maxAttempts` tries is set aside
 * (`failed_at`): never claimed again by the relay, reported by the consistency checker. Returns
 * the rows set aside now.
 */
export async function recordOutboxFailures(
  q: Q,
  failures: readonly OutboxFailure[],
  maxAttempts: number,
): Promise<{ id: string; subject: string; msgId: string; attempts: number; error: string }[]> {
  if (failures.length === 0) return [];
  const rows = await q.query<
    {
      id: string;
      subject: string;
      msg_id: string;
      attempts: number;
      last_error: string;
      set_aside: boolean;
    }[]
  >(
    // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
    `WITH counted AS (
       UPDATE outbox o SET attempts = o.attempts + 1, last_error = left(x.error, 2000),
              failed_at = CASE WHEN o.attempts + 1 >= $2 THEN now() END
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, error text)
        WHERE o.id = x.id AND o.failed_at IS NULL
       RETURNING o.id::text AS id, o.subject, o.msg_id, o.attempts, o.last_error, o.failed_at IS NOT NULL AS set_aside
     )
     SELECT * FROM counted`,
    [JSON.stringify(failures.map((f) => ({ id: f.id, error: f.error }))), maxAttempts],
  );
  return rows
    .filter((r) => r.set_aside)
    .map((r) => ({
      id: r.id,
      subject: r.subject,
      msgId: r.msg_id,
      attempts: r.attempts,
      error: r.last_error,
    }));
}

/** Outbox rows set aside after too many failed publish tries (for the gauge). */
export async function countSetAsideOutbox(q: Q): Promise<number> {
  const [row] = await q.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM outbox WHERE failed_at IS NOT NULL`,
  );
  return row?.n ?? 0;
}

/** Outbox rows still to publish (set-aside ones excluded) and the age of the oldest, in seconds. */
export async function outboxBacklog(q: Q): Promise<{ rows: number; oldestAgeSeconds: number }> {
  const [row] = await q.query<{ n: number; age: number | null }[]>(
    `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM outbox WHERE failed_at IS NULL`,
  );
  return { rows: row?.n ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
}

/** A tenant's attempt rows in flight: queued or running (a fan-out step's own row never runs). */
const IN_FLIGHT = `s.status IN ('queued', 'running') AND NOT (s.item_index = ${STORED_STEP_ITEM_INDEX} AND s.item_count IS NOT NULL)`;

/**
 * Takes the advisory lock of each tenant's cap on attempts in flight, held until the
 * transaction ends. Every transition that adds attempts in flight for a tenant holds it while
 * it checks the count and until it commits (after its run row locks, in tenant order, so two
 * transactions never wait for each other in a cycle); tenants never wait for each other's lock.
 */
export async function lockTenantSlots(q: Q, tenantIds: readonly string[]): Promise<void> {
  if (tenantIds.length === 0) return;
  // unnest yields the (sorted) array in order: the locks are taken in that order.
  await q.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('sandcastle:tenant-attempts:' || t, 0))
       FROM unnest($1::varchar[]) AS t`,
    [[...tenantIds].sort()],
  );
}

/**
 * Per tenant: attempts in flight, and the oldest attempt waiting for a slot in a run outside
 * `batchRunIds`. A statement of its own after lockTenantSlots, so its snapshot is taken once
 * the locks are held (DESIGN.md rule 1).
 */
export async function tenantSlotUsage(
  q: Q,
  tenantIds: readonly string[],
  batchRunIds: readonly string[],
): Promise<TenantSlotUsage> {
  return runStatement(q, {
    sql: `SELECT t.tenant_id, ${USAGE_COLUMNS} FROM unnest($1::varchar[]) AS t(tenant_id)`,
    params: [tenantIds, batchRunIds],
    read: usageFromRows,
  });
}

/** Per tenant: attempts in flight, and the oldest attempt waiting for a slot in another run. */
export type TenantSlotUsage = Map<string, { inFlight: number; oldestOtherWaiting: Date | null }>;

/**
 * tenantSlotUsage for the tenants of the live (not ended) runs among `runIds`, the batch: the
 * same answer without first knowing the tenants, so it can follow the run locks in the same
 * round trip (its snapshot is still taken after they are held).
 */
export function slotUsageOfRunsStatement(runIds: readonly string[]): Statement<TenantSlotUsage> {
  return {
    name: 'sc_slot_usage_of_runs',
    sql: `SELECT t.tenant_id, ${USAGE_COLUMNS}
            FROM (SELECT DISTINCT r.tenant_id FROM runs r
                   WHERE r.id = ANY($2::uuid[]) AND r.status <> ALL($1::varchar[])) AS t`,
    params: [TERMINAL_RUN_STATUSES, runIds],
    read: usageFromRows,
  };
}

/** $2: the batch's run ids (their waiting attempts are not "other" waiters). */
const USAGE_COLUMNS = `(SELECT count(*)::int FROM run_steps s WHERE s.tenant_id = t.tenant_id AND ${IN_FLIGHT}) AS in_flight,
            (SELECT min(s.waiting_since) FROM run_steps s
              WHERE s.tenant_id = t.tenant_id AND s.waiting_since IS NOT NULL
                AND s.run_id <> ALL($2::uuid[])) AS oldest`;

function usageFromRows(rows: Record<string, unknown>[]): TenantSlotUsage {
  return new Map(
    (rows as { tenant_id: string; in_flight: number; oldest: Date | string | null }[]).map((r) => [
      r.tenant_id,
      { inFlight: r.in_flight, oldestOtherWaiting: date(r.oldest) },
    ]),
  );
}

/**
 * Runs with attempts waiting for a slot, oldest waiter first, at most as many runs per tenant
 * as that tenant has free slots (`cap` 0: no cap, every waiting run).
 */
export async function runsWaitingForSlots(q: Q, cap: number, limit: number): Promise<string[]> {
  const rows = await q.query<{ run_id: string }[]>(
    `WITH waiting AS (
       SELECT s.tenant_id, s.run_id, min(s.waiting_since) AS since
         FROM run_steps s WHERE s.waiting_since IS NOT NULL GROUP BY s.tenant_id, s.run_id
     ), busy AS (
       SELECT s.tenant_id, count(*)::int AS n FROM run_steps s
        WHERE s.tenant_id IN (SELECT tenant_id FROM waiting) AND ${IN_FLIGHT}
        GROUP BY s.tenant_id
     ), ranked AS (
       SELECT w.run_id, w.since, $1::int - coalesce(b.n, 0) AS free,
              row_number() OVER (PARTITION BY w.tenant_id ORDER BY w.since) AS n
         FROM waiting w LEFT JOIN busy b ON b.tenant_id = w.tenant_id
     )
     SELECT run_id FROM ranked WHERE $1::int = 0 OR n <= free ORDER BY since LIMIT $2`,
    [cap, limit],
  );
  return rows.map((r) => r.run_id);
}

/**
 * runsWaitingForSlots for some tenants only: each tenant's oldest waiters, as many as it has
 * free slots, read from the (tenant_id, waiting_since) index, so the cost follows the free slots
 * and not how many attempts wait (a flood of runs from one tenant waits cheaply).
 */
export async function runsWaitingForSlotsOf(
  q: Q,
  tenantIds: readonly string[],
  cap: number,
): Promise<string[]> {
  if (cap <= 0 || tenantIds.length === 0) return [];
  const rows = await q.query<{ run_id: string }[]>(
    `SELECT DISTINCT w.run_id
       FROM unnest($1::varchar[]) AS t(tenant_id)
       CROSS JOIN LATERAL (
         SELECT s.run_id FROM run_steps s
          WHERE s.tenant_id = t.tenant_id AND s.waiting_since IS NOT NULL
          ORDER BY s.waiting_since
          LIMIT greatest(0, $2::int - (SELECT count(*)::int FROM run_steps s WHERE s.tenant_id = t.tenant_id AND ${IN_FLIGHT}))
       ) AS w`,
    [tenantIds, cap],
  );
  return rows.map((r) => r.run_id);
}

/** Runs with a retry whose backoff has elapsed. */
export async function runsWithDueRetries(q: Q, limit: number): Promise<string[]> {
  const rows = await q.query<{ run_id: string }[]>(
    `SELECT DISTINCT run_id FROM run_steps WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= now() LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.run_id);
}

/** Runs with an attempt past its deadline (its executor presumably died). */
export async function runsWithLostAttempts(q: Q, limit: number): Promise<string[]> {
  const rows = await q.query<{ run_id: string }[]>(
    `SELECT DISTINCT run_id FROM run_steps
      WHERE status IN ('queued', 'running') AND deadline_at < now() LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.run_id);
}

/** Live runs a user asked to cancel (the command may be late or lost). */
export async function runsWithCancelRequests(q: Q, limit: number): Promise<string[]> {
  const rows = await q.query<{ id: string }[]>(
    `SELECT id FROM runs WHERE status IN ('queued', 'running', 'waiting') AND cancel_requested_at IS NOT NULL LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}

/** Queued runs whose start command may have been lost (the gateway died after commit). */
export async function staleQueuedRuns(
  q: Q,
  minAgeMs: number,
  limit: number,
): Promise<{ id: string; tenantId: string }[]> {
  const rows = await q.query<{ id: string; tenant_id: string }[]>(
    `SELECT id, tenant_id FROM runs
      WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY created_at LIMIT $2`,
    [minAgeMs, limit],
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
}
