import type { RuntimeKind, StepStatus } from '@sandcastle/contracts';
import { itemIndexFromDb, itemIndexToDb } from '@sandcastle/persistence';
import { column, defineTable, type RowOf } from './table-columns';

/**
 * The `run_steps` columns the engine reads and writes: one row per step of a run, and one per
 * fan-out item. Not mapped here: `id` (the database makes it), `run_id` and `tenant_id` (the
 * run's, written with every row) and `updated_at` (set by every write).
 */
const STEP_COLUMN_SPECS = {
  stepId: column<string>('step_id', 'varchar', { write: 'key' }),
  /**
   * The fan-out item; null for the step's own row (a plain step, or a fan-out step's row that
   * aggregates its items). Stored as -1: the column is part of a unique key, so NOT NULL.
   */
  itemIndex: column<number | null, number>('item_index', 'int', {
    write: 'key',
    toDb: itemIndexToDb,
    fromDb: itemIndexFromDb,
  }),
  /** Set on a fan-out step's own row once its items are known. */
  itemCount: column<number | null>('item_count', 'int'),
  status: column<StepStatus>('status', 'varchar'),
  attempt: column<number>('attempt', 'int'),
  output: column<unknown>('output', 'jsonb'),
  error: column<string | null>('error', 'text'),
  errorKind: column<string | null>('error_kind', 'varchar'),
  costUsd: column<number>('cost_usd', 'double precision'),
  inputTokens: column<number>('input_tokens', 'int'),
  outputTokens: column<number>('output_tokens', 'int'),
  numTurns: column<number>('num_turns', 'int'),
  durationSeconds: column<number | null>('duration_seconds', 'double precision'),
  model: column<string | null>('model', 'varchar'),
  runtime: column<RuntimeKind | null>('runtime', 'varchar'),
  prompt: column<string | null>('prompt', 'text'),
  isFallback: column<boolean>('is_fallback', 'boolean'),
  executorId: column<string | null>('executor_id', 'varchar'),
  queuedAt: column<Date | null>('queued_at', 'timestamptz'),
  startedAt: column<Date | null>('started_at', 'timestamptz'),
  completedAt: column<Date | null>('completed_at', 'timestamptz'),
  nextAttemptAt: column<Date | null>('next_attempt_at', 'timestamptz'),
  deadlineAt: column<Date | null>('deadline_at', 'timestamptz'),
  restoredFrom: column<string | null>('restored_from', 'uuid'),
  /** Set when the row completed (or was skipped / dead-lettered): its place in the run's checkpoints. */
  checkpointSeq: column<number | null>('checkpoint_seq', 'int'),
  /** The stored row's write counter as read; -1 for a row not stored yet (see StepRowVersion migration). */
  rowVersion: column<number>('row_version', 'int'),
  /**
   * Set while the row's next attempt (`attempt`, already prepared) waits for a free slot of the
   * tenant's cap on running attempts; the oldest waiter of a tenant goes first.
   */
  waitingSince: column<Date | null>('waiting_since', 'timestamptz'),
};

export const STEP_COLUMNS = defineTable('run_steps', STEP_COLUMN_SPECS);

/** The `run_steps` columns the engine reads and writes. */
export type StepRow = RowOf<typeof STEP_COLUMN_SPECS>;
