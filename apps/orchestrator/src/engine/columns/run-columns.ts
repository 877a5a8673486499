import type { RunKind, RunStatus } from '@sandcastle/contracts';
import type { WorkflowDefinition } from '@sandcastle/workflow';
import { column, defineTable, type RowOf } from './table-columns';

/**
 * The `runs` columns the engine reads, and the few it writes (`set`/`fill`); the others are the
 * gateway's and the scheduler's (columns.int-spec.ts lists them).
 */
const RUN_COLUMN_SPECS = {
  id: column<string>('id', 'uuid', { write: 'key' }),
  tenantId: column<string>('tenant_id', 'varchar', { write: 'read' }),
  workflowName: column<string>('workflow_name', 'varchar', { write: 'read' }),
  definition: column<WorkflowDefinition>('definition', 'jsonb', { write: 'read' }),
  status: column<RunStatus>('status', 'varchar'),
  inputData: column<Record<string, unknown>>('input_data', 'jsonb', { write: 'read' }),
  outputs: column<Record<string, unknown>>('outputs', 'jsonb'),
  error: column<string | null>('error', 'text'),
  totalCostUsd: column<number>('total_cost_usd', 'double precision'),
  totalInputTokens: column<number>('total_input_tokens', 'int'),
  totalOutputTokens: column<number>('total_output_tokens', 'int'),
  maxCostUsd: column<number | null>('max_cost_usd', 'double precision', { write: 'read' }),
  /** The 80 % budget warning went out already (it is sent once). */
  budgetWarned: column<boolean>('budget_warned', 'boolean'),
  /** Completions so far: the checkpoint after completion k is every step row with seq <= k. */
  checkpointSeq: column<number>('checkpoint_seq', 'int'),
  kind: column<RunKind>('kind', 'varchar', { write: 'read' }),
  /** For a replay or fork: the run whose completed steps are restored. */
  parentRunId: column<string | null>('parent_run_id', 'uuid', { write: 'read' }),
  /** For a replay or fork: this step and everything depending on it run again. */
  replayFromStep: column<string | null>('replay_from_step', 'varchar', { write: 'read' }),
  /** The request's `callback_url`: with a schedule and the workflow's hooks, who hears of the run. */
  callbackUrl: column<string | null>('callback_url', 'text', { write: 'read' }),
  /** The schedule that fired the run (its callback and Slack are read when a delivery is planned). */
  scheduleId: column<string | null>('schedule_id', 'uuid', { write: 'read' }),
  /** A user asked to cancel (recorded by the gateway); applied at the run's next transition. */
  cancelRequestedAt: column<Date | null>('cancel_requested_at', 'timestamptz', { write: 'read' }),
  cancelReason: column<string | null>('cancel_reason', 'text', { write: 'read' }),
  /**
   * W3C trace context of the run (one trace per run), set by whoever created it. A run stored
   * without one (created before traces existed) gets a new trace when it is loaded; the first
   * save stores it and later saves keep it (`fill`).
   */
  traceparent: column<string | null>('traceparent', 'varchar', { write: 'fill' }),
  createdAt: column<Date>('created_at', 'timestamptz', { write: 'read' }),
  startedAt: column<Date | null>('started_at', 'timestamptz'),
  completedAt: column<Date | null>('completed_at', 'timestamptz'),
};

export const RUN_COLUMNS = defineTable('runs', RUN_COLUMN_SPECS);

/** The `runs` columns the engine reads and writes. */
export type RunRow = RowOf<typeof RUN_COLUMN_SPECS>;
