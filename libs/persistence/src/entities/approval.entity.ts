import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One approval step of one run (docs/runtimes.md#human-approval): what the approver is asked and
 * shown, and — once decided, exactly once — the decision, who took it, when, and why. Written with
 * raw SQL by the orchestrator (request, timeout, applied) and the gateway (decision).
 */
@Entity({ name: 'approvals' })
export class ApprovalEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ name: 'step_id', type: 'varchar', length: 200 })
  stepId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'workflow_name', type: 'varchar', length: 200 })
  workflowName!: string;

  @Column({ name: 'status', type: 'varchar', length: 20, default: 'pending' })
  status!: string;

  @Column({ name: 'message', type: 'text' })
  message!: string;

  @Column({ name: 'data', type: 'jsonb', nullable: true })
  data!: unknown;

  @Column({ name: 'allow_edit', type: 'boolean', default: false })
  allowEdit!: boolean;

  @Column({ name: 'on_timeout', type: 'varchar', length: 20, default: 'reject' })
  onTimeout!: string;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decided_by', type: 'varchar', length: 200, nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'comment', type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'edited_output', type: 'jsonb', nullable: true })
  editedOutput!: unknown;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt!: Date | null;
}
