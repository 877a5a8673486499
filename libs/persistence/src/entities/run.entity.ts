import type { RunKind, RunStatus } from '@sandcastle/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One execution of a workflow. The orchestrator changes a run only while holding this row's
 * lock (SELECT … FOR UPDATE), which serialises all work on one run across replicas.
 */
@Entity({ name: 'runs' })
export class RunEntity {
  // Made in code (no default) so the id exists before the row: it is part of message ids.
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'workflow_name', type: 'varchar', length: 200 })
  workflowName!: string;

  /** Null when the run was started from an inline definition rather than a saved version. */
  @Column({ name: 'workflow_version', type: 'integer', nullable: true })
  workflowVersion!: number | null;

  /** The exact definition this run executes; a replay months later runs the same thing. */
  @Column({ name: 'definition', type: 'jsonb' })
  definition!: Record<string, unknown>;

  @Column({ name: 'status', type: 'varchar', length: 20, default: 'queued' })
  status!: RunStatus;

  @Column({ name: 'kind', type: 'varchar', length: 10, default: 'original' })
  kind!: RunKind;

  @Column({ name: 'input_data', type: 'jsonb', default: () => `'{}'` })
  inputData!: Record<string, unknown>;

  @Column({ name: 'outputs', type: 'jsonb', default: () => `'{}'` })
  outputs!: Record<string, unknown>;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;

  /** Where `on_complete.storage_path` stored the outputs (the tenant's path); set with the completion. */
  @Column({ name: 'storage_path', type: 'text', nullable: true })
  storagePath!: string | null;

  /** Set by the gateway when a user asks to cancel; the orchestrator applies it under the row lock. */
  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true })
  cancelRequestedAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;

  /** Completions so far; the next completed step row gets checkpoint_seq + 1. */
  @Column({ name: 'checkpoint_seq', type: 'integer', default: 0 })
  checkpointSeq!: number;

  @Column({ name: 'total_cost_usd', type: 'double precision', default: 0 })
  totalCostUsd!: number;

  @Column({ name: 'total_input_tokens', type: 'integer', default: 0 })
  totalInputTokens!: number;

  @Column({ name: 'total_output_tokens', type: 'integer', default: 0 })
  totalOutputTokens!: number;

  /** The resolved budget; null means no limit. */
  @Column({ name: 'max_cost_usd', type: 'double precision', nullable: true })
  maxCostUsd!: number | null;

  /** Set once the 80% warning has been emitted, so it is emitted once. */
  @Column({ name: 'budget_warned', type: 'boolean', default: false })
  budgetWarned!: boolean;

  @Column({ name: 'callback_url', type: 'text', nullable: true })
  callbackUrl!: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true })
  idempotencyKey!: string | null;

  /** sha256 hex of the start request, to tell a retried request from a conflicting one. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64, nullable: true })
  requestHash!: string | null;

  @Column({ name: 'parent_run_id', type: 'uuid', nullable: true })
  parentRunId!: string | null;

  @Column({ name: 'root_run_id', type: 'uuid', nullable: true })
  rootRunId!: string | null;

  @Column({ name: 'replay_from_step', type: 'varchar', length: 200, nullable: true })
  replayFromStep!: string | null;

  @Column({ name: 'fork_changes', type: 'jsonb', nullable: true })
  forkChanges!: Record<string, unknown> | null;

  /** The schedule that started this run (no foreign key: a deleted schedule keeps its runs). */
  @Column({ name: 'schedule_id', type: 'uuid', nullable: true })
  scheduleId!: string | null;

  /** The due time this run fired for; unique per schedule (uq_runs_schedule_fire). */
  @Column({ name: 'scheduled_for', type: 'timestamptz', nullable: true })
  scheduledFor!: Date | null;

  /** Fired late, for a due time the scheduler missed (it was down). */
  @Column({ name: 'catch_up', type: 'boolean', default: false })
  catchUp!: boolean;

  /** How many due times this one run stands for (more than 1 only for a catch-up). */
  @Column({ name: 'missed_fires', type: 'integer', nullable: true })
  missedFires!: number | null;

  /** W3C trace context of the run (one trace per run): set by the gateway or the scheduler. */
  @Column({ name: 'traceparent', type: 'varchar', length: 55, nullable: true })
  traceparent!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  // TypeORM sets it on save(); raw SQL writers must set `updated_at = now()` themselves.
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
