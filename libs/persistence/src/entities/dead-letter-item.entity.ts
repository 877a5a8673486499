import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ItemIndexColumn } from '../columns/item-index';

/**
 * A step (or fan-out item) that finally failed in a workflow with `on_failure.dead_letter: true`.
 * The run went on without it; the item keeps what is needed to retry (a full new run) or to
 * close it with a reason.
 */
@Entity({ name: 'dead_letter_items' })
export class DeadLetterItemEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'workflow_name', type: 'varchar', length: 200 })
  workflowName!: string;

  @Column({ name: 'step_id', type: 'varchar', length: 200 })
  stepId!: string;

  /** Null for a plain step, else the fan-out item index (see ITEM_INDEX_TRANSFORMER). */
  @ItemIndexColumn()
  itemIndex!: number | null;

  @Column({ name: 'error', type: 'text' })
  error!: string;

  /** The run input (and, for a fan-out item, `_item` and `_index`): what a retry needs. */
  @Column({ name: 'input_data', type: 'jsonb', default: () => `'{}'` })
  inputData!: Record<string, unknown>;

  @Column({ name: 'attempts', type: 'integer' })
  attempts!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'varchar', length: 20, nullable: true })
  resolvedBy!: 'retry' | 'manual' | null;

  @Column({ name: 'resolution_reason', type: 'text', nullable: true })
  resolutionReason!: string | null;

  @Column({ name: 'retry_run_id', type: 'uuid', nullable: true })
  retryRunId!: string | null;
}
