import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { ApiKeyEntity } from '@sandcastle/persistence';
import { tenantWhere, type TenantScope } from '../tenancy/tenant-scope';

export interface NewApiKey {
  tenantId: string;
  name: string;
  keyPrefix: string;
  keyHash: string;
  maxCostPerRunUsd: number | null;
}

/** API key rows. Lists and lookups by id are scoped by tenant; lookup by hash is how a key authenticates. */
@Injectable()
export class ApiKeysRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(@Inject(DataSource) private readonly db: DataSource) {
    this.keys = db.getRepository(ApiKeyEntity);
  }

  async insert(key: NewApiKey): Promise<ApiKeyEntity> {
    const entity = this.keys.create({ ...key, isActive: true });
    const result = await this.keys.insert(entity);
    return Object.assign(entity, result.generatedMaps[0]);
  }

  /** The key with this digest (unique index), active or not. */
  async findByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ keyHash });
  }

  /** Active keys, newest first, and how many there are. */
  async listActive(scope: TenantScope, limit: number, offset: number): Promise<[ApiKeyEntity[], number]> {
    return this.keys.findAndCount({
      where: { ...tenantWhere(scope), isActive: true },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  async findById(scope: TenantScope, id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ ...tenantWhere(scope), id });
  }

  /** Soft delete: the row stays (for audit), the key stops working. No-op for an inactive key. */
  async deactivate(id: string): Promise<void> {
    await this.keys
      .createQueryBuilder()
      .update()
      .set({ isActive: false, deactivatedAt: () => 'now()' })
      .where('id = :id AND is_active', { id })
      .execute();
  }

  /**
   * Records when keys were last used, many keys in one statement. A timestamp never moves
   * backwards, so batches flushed out of order by different replicas keep the newest.
   */
  async recordLastUsed(usage: ReadonlyMap<string, Date>): Promise<void> {
    if (usage.size === 0) return;
    await this.db.query(
      `UPDATE api_keys k
          SET last_used_at = GREATEST(coalesce(k.last_used_at, u.at), u.at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
        WHERE k.id = u.id`,
      [[...usage.keys()], [...usage.values()].map((at) => at.toISOString())],
    );
  }
}
