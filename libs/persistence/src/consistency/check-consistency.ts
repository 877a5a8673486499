import { STEP_STATUSES, TERMINAL_RUN_STATUSES, TERMINAL_STEP_STATUSES } from '@sandcastle/contracts';
import { STORED_STEP_ITEM_INDEX } from '../columns/item-index';

/**
 * A read-only consistency checker: verifies the orchestrator's invariants over the database and
 * reports what breaks them. Every check is one SELECT returning a count and a few examples; the
 * checker writes nothing and takes no row locks. For one snapshot across all checks, pass a
 * `query` bound to one connection inside `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
 * (scripts/check-consistency.mjs does); a pooled `DataSource.query` works too, each check then
 * seeing its own snapshot.
 *
 * The checks report only states the engine (apps/orchestrator/src/engine/run-machine.ts) cannot
 * produce: each transition locks the run, records the attempts and writes rows, totals and the
 * outbox in one transaction, so every committed state must satisfy them. Legitimate look-alikes
 * are excluded (a result that arrived after the run stopped is recorded but stale; restored rows
 * of a replay have no attempts; a fan-out step's row aggregates its items and is never run).
 * The checks are written not to overlap (a pending row in a completed run is reported by
 * terminal_run_live_steps only, not also by completed_run_unfinished_steps).
 */

/** Runs one SQL statement with positional parameters and returns its rows (DataSource.query fits). */
export type ConsistencyQuery = (sql: string, params?: unknown[]) => Promise<unknown[]>;

export interface ConsistencyOptions {
  /** Only this tenant's runs (and the outbox messages of its runs). */
  tenantId?: string;
  /** Only these runs (uuids; combined with `tenantId` when both are given). */
  runIds?: string[];
  /** An outbox message older than this was neither published nor relayed (default 60 s). */
  outboxMaxAgeMs?: number;
  /** A running run with nothing in flight and no activity for this long is stalled (default 5 min). */
  stallAfterMs?: number;
  /** Examples kept per failing check (default 10, at most 1000). */
  examples?: number;
  /** Allowed difference between a run's cost and the sum of its steps' (default 1e-6 USD). */
  costToleranceUsd?: number;
}

export interface ConsistencyProblem {
  check: ConsistencyCheckName;
  description: string;
  count: number;
  examples: unknown[];
  /** Figures of the whole set, where a check has some (outbox_backlog: `oldestAgeMs`, `maxAgeMs`). */
  details?: Record<string, unknown>;
}

export interface ConsistencyReport {
  /** True when no check found anything. */
  ok: boolean;
  checkedAt: string;
  /** Every check that ran, in order. */
  checks: ConsistencyCheckName[];
  /** Only the failing checks. */
  problems: ConsistencyProblem[];
}

export const DEFAULT_OUTBOX_MAX_AGE_MS = 60_000;
export const DEFAULT_STALL_AFTER_MS = 5 * 60_000;
export const DEFAULT_CONSISTENCY_EXAMPLES = 10;
/** A micro-dollar: a thousand times the nano-dollar rounding of addUsd (libs/contracts). */
export const DEFAULT_COST_TOLERANCE_USD = 1e-6;

const MAX_EXAMPLES = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TERMINAL_RUN = [...TERMINAL_RUN_STATUSES];
const LIVE_STEP = STEP_STATUSES.filter((s) => !TERMINAL_STEP_STATUSES.includes(s));

interface Settings {
  tenantId: string | null;
  runIds: string[] | null;
  outboxMaxAgeMs: number;
  stallAfterMs: number;
  examples: number;
  costToleranceUsd: number;
}

interface CheckDefinition {
  name: string;
  description: string;
  /** The offending rows, from `scoped` (the runs in scope); parameters from $4 on. */
  sql: string;
  /** Example order (columns of the offending rows). */
  order: string;
  params: (s: Settings) => unknown[];
  /** An aggregate over all offending rows (`bad`), handed to `details`. */
  summary?: string;
  /** The problem's description and details, from the count and the summary (default: `description`). */
  details?: (
    count: number,
    summary: unknown,
    s: Settings,
  ) => { description: string; details: Record<string, unknown> };
}

// $1 tenant, $2 run ids, $3 the number of examples: every check's query starts with these.
// NOT MATERIALIZED: the filters are pushed into each use (and its indexes) even when a check
// reads `scoped` more than once.
const SCOPE = `scoped AS NOT MATERIALIZED (
  SELECT r.id, r.tenant_id, r.status, r.total_cost_usd, r.total_input_tokens,
         r.total_output_tokens, r.updated_at
    FROM runs r
   WHERE ($1::varchar IS NULL OR r.tenant_id = $1::varchar)
     AND ($2::uuid[] IS NULL OR r.id = ANY($2::uuid[]))
)`;

/** A fan-out step's own row (no item, with an item count): it aggregates its items and never runs. */
const FAN_OUT_PARENT = `(s.item_index = ${STORED_STEP_ITEM_INDEX} AND s.item_count IS NOT NULL)`;

const CHECKS = [
  {
    name: 'attempt_completed_not_applied',
    description:
      'step rows whose current attempt has a completed result in step_attempts but whose status is not ' +
      'completed (a result that arrived after its run stopped, on a cancelled row, is stale and not counted; ' +
      'nor is the late real result of an attempt declared lost, which only added its cost)',
    sql: `SELECT s.run_id, r.tenant_id, r.status AS run_status, s.step_id, s.item_index, s.attempt,
                 s.status AS step_status, a.applied_at
            FROM scoped r
            JOIN run_steps s ON s.run_id = r.id
            JOIN step_attempts a ON a.run_id = s.run_id AND a.step_id = s.step_id
                                AND a.item_index = s.item_index AND a.attempt = s.attempt
           WHERE a.outcome = 'completed' AND s.status <> 'completed' AND a.replaced_lost_at IS NULL
             AND NOT (s.status = 'cancelled' AND r.status = ANY($4::varchar[]))`,
    order: 'run_id, step_id, item_index',
    params: () => [TERMINAL_RUN],
  },
  {
    name: 'completed_without_attempt',
    description:
      'completed step rows with no completed result for their attempt number in step_attempts ' +
      '(restored rows of a replay and fan-out step rows have none by design and are not counted)',
    sql: `SELECT s.run_id, r.tenant_id, r.status AS run_status, s.step_id, s.item_index, s.attempt,
                 (SELECT a.outcome FROM step_attempts a
                   WHERE a.run_id = s.run_id AND a.step_id = s.step_id
                     AND a.item_index = s.item_index AND a.attempt = s.attempt) AS attempt_outcome
            FROM scoped r
            JOIN run_steps s ON s.run_id = r.id
           WHERE s.status = 'completed' AND s.restored_from IS NULL AND NOT ${FAN_OUT_PARENT}
             AND NOT EXISTS (SELECT 1 FROM step_attempts a
                              WHERE a.run_id = s.run_id AND a.step_id = s.step_id
                                AND a.item_index = s.item_index AND a.attempt = s.attempt
                                AND a.outcome = 'completed')`,
    order: 'run_id, step_id, item_index',
    params: () => [],
  },
  {
    name: 'run_totals_mismatch',
    description:
      "runs whose total cost or token counts differ from the sum of their step rows' " +
      '(plain steps and fan-out items; a fan-out step row only aggregates its items)',
    sql: `SELECT r.id AS run_id, r.tenant_id, r.status AS run_status,
                 r.total_cost_usd, t.cost_usd AS steps_cost_usd,
                 r.total_input_tokens, t.input_tokens AS steps_input_tokens,
                 r.total_output_tokens, t.output_tokens AS steps_output_tokens
            FROM scoped r
            CROSS JOIN LATERAL (
              SELECT coalesce(sum(s.cost_usd), 0)::float8 AS cost_usd,
                     coalesce(sum(s.input_tokens), 0)::bigint AS input_tokens,
                     coalesce(sum(s.output_tokens), 0)::bigint AS output_tokens
                FROM run_steps s WHERE s.run_id = r.id AND NOT ${FAN_OUT_PARENT}
            ) t
           WHERE abs(r.total_cost_usd - t.cost_usd) > $4::float8
              OR r.total_input_tokens <> t.input_tokens
              OR r.total_output_tokens <> t.output_tokens`,
    order: 'run_id',
    params: (s) => [s.costToleranceUsd],
  },
  {
    name: 'terminal_run_live_steps',
    description: 'step rows still pending, queued or running in a run that has ended',
    sql: `SELECT s.run_id, r.tenant_id, r.status AS run_status, s.step_id, s.item_index, s.attempt,
                 s.status AS step_status, s.updated_at
            FROM scoped r
            JOIN run_steps s ON s.run_id = r.id
           WHERE r.status = ANY($4::varchar[]) AND s.status = ANY($5::varchar[])`,
    order: 'run_id, step_id, item_index',
    params: () => [TERMINAL_RUN, LIVE_STEP],
  },
  {
    name: 'completed_run_unfinished_steps',
    description:
      'completed runs with a step row that is cancelled, or failed without a dead letter ' +
      '(a completed run holds only completed, skipped and dead-lettered rows)',
    sql: `SELECT s.run_id, r.tenant_id, s.step_id, s.item_index, s.attempt, s.status AS step_status,
                 s.restored_from
            FROM scoped r
            JOIN run_steps s ON s.run_id = r.id
           WHERE r.status = 'completed'
             AND (s.status = 'cancelled'
                  OR (s.status = 'failed' AND s.restored_from IS NULL
                      AND NOT EXISTS (SELECT 1 FROM dead_letter_items d
                                       WHERE d.run_id = s.run_id AND d.step_id = s.step_id
                                         AND d.item_index = s.item_index)))`,
    order: 'run_id, step_id, item_index',
    params: () => [],
  },
  {
    name: 'completed_run_missing_steps',
    description: "completed runs without a row for a step of their definition (runs.definition's steps)",
    sql: `SELECT r.id AS run_id, r.tenant_id, d.step ->> 'id' AS step_id
            FROM scoped r
            JOIN runs def ON def.id = r.id
            CROSS JOIN LATERAL jsonb_array_elements(
              CASE WHEN jsonb_typeof(def.definition -> 'steps') = 'array' THEN def.definition -> 'steps'
                   ELSE '[]'::jsonb END) AS d(step)
           WHERE r.status = 'completed'
             AND NOT EXISTS (SELECT 1 FROM run_steps s
                              WHERE s.run_id = r.id AND s.step_id = d.step ->> 'id' AND s.item_index = ${STORED_STEP_ITEM_INDEX})`,
    order: 'run_id, step_id',
    params: () => [],
  },
  {
    name: 'fan_out_item_count',
    description:
      "fan-out steps whose item rows are not exactly items 0..item_count-1 (any run: a fan-out's items " +
      'are written with its item count, in one transaction), or item rows without their step row',
    sql: `SELECT coalesce(p.run_id, i.run_id) AS run_id, r.tenant_id, coalesce(p.step_id, i.step_id) AS step_id,
                 p.item_count, coalesce(i.items, 0) AS item_rows, i.first_item, i.last_item,
                 p.run_id IS NULL AS step_row_missing
            FROM (SELECT s.run_id, s.step_id, s.item_count
                    FROM scoped r JOIN run_steps s ON s.run_id = r.id
                   WHERE s.item_index = ${STORED_STEP_ITEM_INDEX}) p
            FULL JOIN (SELECT s.run_id, s.step_id, count(*)::int AS items,
                              min(s.item_index) AS first_item, max(s.item_index) AS last_item
                         FROM scoped r JOIN run_steps s ON s.run_id = r.id
                        WHERE s.item_index <> ${STORED_STEP_ITEM_INDEX}
                        GROUP BY s.run_id, s.step_id) i
              ON i.run_id = p.run_id AND i.step_id = p.step_id
            JOIN scoped r ON r.id = coalesce(p.run_id, i.run_id)
           WHERE p.run_id IS NULL
              OR coalesce(p.item_count, 0) <> coalesce(i.items, 0)
              OR (i.items > 0 AND (i.first_item <> 0 OR i.last_item <> i.items - 1))`,
    order: 'run_id, step_id',
    params: () => [],
  },
  {
    name: 'outbox_backlog',
    description:
      'outbox messages older than the threshold: neither published after commit nor relayed ' +
      '(set-aside messages are reported by outbox_set_aside)',
    // Outbox rows carry no tenant: a scoped check matches the run id every message id carries
    // (`dispatch:<runId>:…`, `evt:<runId>:…`); unscoped, every row counts.
    sql: `SELECT o.id::text AS id, o.subject, o.msg_id, o.created_at,
                 (extract(epoch FROM now() - o.created_at) * 1000)::bigint AS age_ms
            FROM outbox o
           WHERE o.failed_at IS NULL AND o.created_at < now() - make_interval(secs => $4::float8 / 1000)
             AND (NOT $5::boolean
                  OR EXISTS (SELECT 1 FROM scoped r WHERE r.id::text = split_part(o.msg_id, ':', 2)))`,
    order: 'created_at, id',
    params: (s) => [s.outboxMaxAgeMs, s.tenantId !== null || s.runIds !== null],
    summary: 'max(age_ms)',
    details: (count, summary, s) => {
      const oldestAgeMs = Number(summary);
      return {
        description:
          `${count} outbox message(s) older than ${seconds(s.outboxMaxAgeMs)}, the oldest ${seconds(oldestAgeMs)} ` +
          'old: neither published after commit nor relayed (is an orchestrator running its reconciler?)',
        details: { oldestAgeMs, maxAgeMs: s.outboxMaxAgeMs },
      };
    },
  },
  {
    name: 'outbox_set_aside',
    description:
      'outbox messages set aside after repeated publish failures (e.g. over the broker max payload): ' +
      'they are not retried automatically; fix the cause, then re-queue them ' +
      '(UPDATE outbox SET failed_at = NULL, attempts = 0 WHERE id = …) or delete them',
    sql: `SELECT o.id::text AS id, o.kind, o.subject, o.msg_id, o.attempts, o.last_error, o.failed_at,
                 length(o.payload) AS payload_chars
            FROM outbox o
           WHERE o.failed_at IS NOT NULL
             AND (NOT $4::boolean
                  OR EXISTS (SELECT 1 FROM scoped r WHERE r.id::text = split_part(o.msg_id, ':', 2)))`,
    order: 'failed_at, id',
    params: (s) => [s.tenantId !== null || s.runIds !== null],
  },
  {
    name: 'stalled_runs',
    description:
      'running runs with no step attempt queued or running, no retry scheduled, none waiting for a ' +
      'tenant slot and no activity for longer than the stall threshold: nothing will move them on',
    sql: `SELECT r.id AS run_id, r.tenant_id, a.last_activity,
                 (extract(epoch FROM now() - a.last_activity) * 1000)::bigint AS idle_ms,
                 (SELECT coalesce(jsonb_object_agg(c.status, c.n), '{}'::jsonb)
                    FROM (SELECT s.status, count(*) AS n FROM run_steps s
                           WHERE s.run_id = r.id GROUP BY s.status) c) AS step_statuses
            FROM scoped r
            CROSS JOIN LATERAL (
              SELECT greatest(r.updated_at, max(s.updated_at)) AS last_activity
                FROM run_steps s WHERE s.run_id = r.id
            ) a
           WHERE r.status = 'running'
             AND a.last_activity < now() - make_interval(secs => $4::float8 / 1000)
             AND NOT EXISTS (
               SELECT 1 FROM run_steps s
                WHERE s.run_id = r.id AND NOT ${FAN_OUT_PARENT}
                  AND (s.status IN ('queued', 'running')
                       OR (s.status = 'pending' AND (s.next_attempt_at IS NOT NULL OR s.waiting_since IS NOT NULL))))`,
    order: 'last_activity, run_id',
    params: (s) => [s.stallAfterMs],
  },
] as const satisfies readonly CheckDefinition[];

export type ConsistencyCheckName = (typeof CHECKS)[number]['name'];

/** The checks checkConsistency() runs, in order, with what each one reports. */
export const CONSISTENCY_CHECKS: readonly { name: ConsistencyCheckName; description: string }[] = CHECKS.map(
  ({ name, description }) => ({ name, description }),
);

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function settingsOf(options: ConsistencyOptions): Settings {
  const nonNegative = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got ${value}`);
    return value;
  };
  const examples = nonNegative('examples', options.examples, DEFAULT_CONSISTENCY_EXAMPLES);
  if (!Number.isInteger(examples) || examples > MAX_EXAMPLES) {
    throw new Error(`examples must be an integer from 0 to ${MAX_EXAMPLES}, got ${examples}`);
  }
  const runIds = options.runIds ?? null;
  for (const id of runIds ?? []) {
    if (!UUID.test(id)) throw new Error(`not a run id (a uuid): ${JSON.stringify(id)}`);
  }
  return {
    tenantId: options.tenantId ?? null,
    runIds,
    outboxMaxAgeMs: nonNegative('outboxMaxAgeMs', options.outboxMaxAgeMs, DEFAULT_OUTBOX_MAX_AGE_MS),
    stallAfterMs: nonNegative('stallAfterMs', options.stallAfterMs, DEFAULT_STALL_AFTER_MS),
    examples,
    costToleranceUsd: nonNegative('costToleranceUsd', options.costToleranceUsd, DEFAULT_COST_TOLERANCE_USD),
  };
}

function statementOf(check: CheckDefinition): string {
  return `WITH ${SCOPE},
  bad AS (${check.sql})
SELECT (SELECT count(*) FROM bad)::int AS count,
       coalesce((SELECT json_agg(e ORDER BY ${check.order})
                   FROM (SELECT * FROM bad ORDER BY ${check.order} LIMIT $3) e), '[]'::json) AS examples,
       ${check.summary ? `(SELECT ${check.summary} FROM bad)` : 'NULL::text'} AS summary`;
}

/**
 * Runs every check (in order, one statement each) and reports the failing ones. Throws on bad
 * options (e.g. a run id that is not a uuid) and on a failing query.
 */
export async function checkConsistency(
  query: ConsistencyQuery,
  options: ConsistencyOptions = {},
): Promise<ConsistencyReport> {
  const settings = settingsOf(options);
  const checkedAt = new Date().toISOString();
  const problems: ConsistencyProblem[] = [];
  for (const check of CHECKS as readonly (CheckDefinition & { name: ConsistencyCheckName })[]) {
    const params = [settings.tenantId, settings.runIds, settings.examples, ...check.params(settings)];
    let rows: { count: number | string; examples: unknown[] | string | null; summary: unknown }[];
    try {
      rows = (await query(statementOf(check), params)) as typeof rows;
    } catch (err) {
      throw new Error(
        `consistency check ${check.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    }
    const count = Number(rows[0]?.count ?? 0);
    if (count === 0) continue;
    const raw = rows[0]?.examples ?? [];
    const examples = typeof raw === 'string' ? (JSON.parse(raw) as unknown[]) : raw;
    const summarised = check.details?.(count, rows[0]?.summary, settings);
    problems.push({
      check: check.name,
      description: summarised?.description ?? check.description,
      count,
      examples,
      ...(summarised ? { details: summarised.details } : {}),
    });
  }
  return { ok: problems.length === 0, checkedAt, checks: CHECKS.map((c) => c.name), problems };
}
