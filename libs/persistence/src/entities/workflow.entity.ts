import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Where a workflow version came from: saved through the API or loaded from WORKFLOWS_DIR. */
export type WorkflowSource = 'api' | 'file';

/**
 * One saved version of a workflow. Versions are immutable: saving a workflow again adds a row
 * with the next version number instead of updating the old one, so a run's
 * (workflow_name, workflow_version) always points at what it was started from.
 */
@Entity({ name: 'workflows' })
export class WorkflowEntity {
  // The database fills it (gen_random_uuid()); TypeORM reads it back with RETURNING.
  @PrimaryColumn({ name: 'id', type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  /** The identifier slug, stable across versions. */
  @Column({ name: 'name', type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'title', type: 'varchar', length: 500 })
  title!: string;

  @Column({ name: 'description', type: 'text', default: '' })
  description!: string;

  /** The YAML exactly as submitted. */
  @Column({ name: 'content', type: 'text' })
  content!: string;

  /** sha256 hex of `content`: lets a save of unchanged YAML be recognised without a new version. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash!: string;

  /** The parsed, validated definition. */
  @Column({ name: 'definition', type: 'jsonb' })
  definition!: Record<string, unknown>;

  @Column({ name: 'source', type: 'varchar', length: 10 })
  source!: WorkflowSource;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
