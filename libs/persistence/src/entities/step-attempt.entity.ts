import type { AttemptErrorKind } from '@sandcastle/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ITEM_INDEX_TRANSFORMER } from '../columns/item-index';

/** How an applied attempt ended. */
export type AttemptOutcome = 'completed' | 'failed';

/**
 * The record of one applied attempt result. The primary key (run, step, item, attempt) is what
 * makes applying a result idempotent: the orchestrator inserts this row in the same transaction
 * that updates run_steps, and a redelivered result hits the key and changes nothing.
 */
@Entity({ name: 'step_attempts' })
export class StepAttemptEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ name: 'step_id', type: 'varchar', length: 200 })
  stepId!: string;

  /** Null for a plain step, else the fan-out item index (see ITEM_INDEX_TRANSFORMER). */
  @PrimaryColumn({ name: 'item_index', type: 'integer', transformer: ITEM_INDEX_TRANSFORMER })
  itemIndex!: number | null;

  @PrimaryColumn({ name: 'attempt', type: 'integer' })
  attempt!: number;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'outcome', type: 'varchar', length: 20 })
  outcome!: AttemptOutcome;

  @Column({ name: 'output', type: 'jsonb', nullable: true })
  output!: unknown;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'error_kind', type: 'varchar', length: 40, nullable: true })
  errorKind!: AttemptErrorKind | null;

  @Column({ name: 'cost_usd', type: 'double precision', default: 0 })
  costUsd!: number;

  @Column({ name: 'input_tokens', type: 'integer', default: 0 })
  inputTokens!: number;

  @Column({ name: 'output_tokens', type: 'integer', default: 0 })
  outputTokens!: number;

  @Column({ name: 'cache_creation_input_tokens', type: 'integer', default: 0 })
  cacheCreationInputTokens!: number;

  @Column({ name: 'cache_read_input_tokens', type: 'integer', default: 0 })
  cacheReadInputTokens!: number;

  @Column({ name: 'num_turns', type: 'integer', default: 0 })
  numTurns!: number;

  @Column({ name: 'model', type: 'varchar', length: 200, nullable: true })
  model!: string | null;

  @Column({ name: 'runtime', type: 'varchar', length: 20, nullable: true })
  runtime!: string | null;

  /** Every model tried in this attempt with its cost (model API runtimes); null otherwise. */
  @Column({ name: 'tries', type: 'jsonb', nullable: true })
  tries!: { model: string; runtime: string; outcome: string; error: string | null; costUsd: number }[] | null;

  @Column({ name: 'executor_id', type: 'varchar', length: 200, nullable: true })
  executorId!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'applied_at', type: 'timestamptz', default: () => 'now()' })
  appliedAt!: Date;

  /** The real result of an attempt declared lost replaced the synthetic record (its cost counted). */
  @Column({ name: 'replaced_lost_at', type: 'timestamptz', nullable: true })
  replacedLostAt!: Date | null;
}
