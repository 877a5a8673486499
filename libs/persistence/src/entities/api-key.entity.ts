import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An API key of one tenant. Only the HMAC-SHA256 of the key is kept (`keyHash`, hex); the key
 * is shown once, when it is created. `keyPrefix` (its first characters) lets people tell keys
 * apart in lists without revealing them.
 */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  // The database fills it (gen_random_uuid()); TypeORM reads it back with RETURNING.
  @PrimaryColumn({ name: 'id', type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId!: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix!: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true })
  keyHash!: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  /** The budget of a run started with this key that asks for none; null = no key limit. */
  @Column({ name: 'max_cost_per_run_usd', type: 'double precision', nullable: true })
  maxCostPerRunUsd!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Written in batches (about every 30 s), so it lags real use by up to that much. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;
}
