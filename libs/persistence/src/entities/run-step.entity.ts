import type { StepStatus } from '@sandcastle/contracts';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ItemIndexColumn } from '../columns/item-index';

/**
 * The current state of one step of a run (item index null, stored as -1) or of one fan-out item
 * of it (item index >= 0). Exactly one row per (run, step, item): the orchestrator updates it in place
 * as attempts come and go; the history of attempts lives in step_attempts.
 */
@Entity({ name: 'run_steps' })
export class RunStepEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'step_id', type: 'varchar', length: 200 })
  stepId!: string;

  /** Null for the step's own row (see ITEM_INDEX_TRANSFORMER). */
  @ItemIndexColumn()
  itemIndex!: number | null;

  /** Fan-out size, set on the step's own row (item index null) once the items are known. */
  @Column({ name: 'item_count', type: 'integer', nullable: true })
  itemCount!: number | null;

  @Column({ name: 'status', type: 'varchar', length: 20, default: 'pending' })
  status!: StepStatus;

  /** Number of the current (or last) attempt; 0 before the first dispatch. */
  @Column({ name: 'attempt', type: 'integer', default: 0 })
  attempt!: number;

  @Column({ name: 'output', type: 'jsonb', nullable: true })
  output!: unknown;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'error_kind', type: 'varchar', length: 40, nullable: true })
  errorKind!: string | null;

  @Column({ name: 'cost_usd', type: 'double precision', default: 0 })
  costUsd!: number;

  @Column({ name: 'input_tokens', type: 'integer', default: 0 })
  inputTokens!: number;

  @Column({ name: 'output_tokens', type: 'integer', default: 0 })
  outputTokens!: number;

  @Column({ name: 'num_turns', type: 'integer', default: 0 })
  numTurns!: number;

  @Column({ name: 'duration_seconds', type: 'double precision', nullable: true })
  durationSeconds!: number | null;

  @Column({ name: 'model', type: 'varchar', length: 200, nullable: true })
  model!: string | null;

  @Column({ name: 'runtime', type: 'varchar', length: 20, nullable: true })
  runtime!: string | null;

  /** The rendered prompt of the latest attempt, as the agent received it. */
  @Column({ name: 'prompt', type: 'text', nullable: true })
  prompt!: string | null;

  @Column({ name: 'is_fallback', type: 'boolean', default: false })
  isFallback!: boolean;

  @Column({ name: 'executor_id', type: 'varchar', length: 200, nullable: true })
  executorId!: string | null;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** When a retry waiting for its backoff becomes due; null when none is waiting. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** After this the reconciler presumes the in-flight attempt lost (its executor died). */
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;

  /** The run_steps row of the parent run this result was copied from by a replay or fork. */
  @Column({ name: 'restored_from', type: 'uuid', nullable: true })
  restoredFrom!: string | null;

  /** Order in which this row completed within its run; the checkpoint after completion k is every row with seq <= k. */
  @Column({ name: 'checkpoint_seq', type: 'integer', nullable: true })
  checkpointSeq!: number | null;

  /** Write counter: each write sets the version it read plus one (optimistic guard, see the StepRowVersion migration). */
  @Column({ name: 'row_version', type: 'integer', default: 0 })
  rowVersion!: number;

  /** Ready to dispatch but waiting for a free slot of the tenant's cap on running attempts. */
  @Column({ name: 'waiting_since', type: 'timestamptz', nullable: true })
  waitingSince!: Date | null;

  // TypeORM sets it on save(); raw SQL writers must set `updated_at = now()` themselves.
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
