import type { ArtifactKind } from '@sandcastle/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One object a run wrote to storage (docs/storage.md); the bytes are in storage at `objectKey`. */
@Entity({ name: 'run_artifacts' })
export class RunArtifactEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  /** Unique within the run; the `{name}` of `GET /runs/{id}/artifacts/{name}`. */
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'kind', type: 'varchar', length: 20 })
  kind!: ArtifactKind;

  /** Full key under the tenant's prefix; never shown to API callers. */
  @Column({ name: 'object_key', type: 'text' })
  objectKey!: string;

  // bigint comes back from pg as a string.
  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 200 })
  contentType!: string;

  @Column({ name: 'step_id', type: 'varchar', length: 100, nullable: true })
  stepId!: string | null;

  @Column({ name: 'item_index', type: 'integer', nullable: true })
  itemIndex!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
