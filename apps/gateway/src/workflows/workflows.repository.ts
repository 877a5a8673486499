import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { WorkflowEntity, type WorkflowSource } from '@sandcastle/persistence';
import { ALL_TENANTS, tenantParam, tenantWhere, type TenantScope } from '../tenancy/tenant-scope';

/** The unique key that makes two concurrent saves of one workflow unable to take the same version. */
export const WORKFLOW_VERSION_CONSTRAINT = 'uq_workflows_tenant_name_version';

export interface NewWorkflowVersion {
  tenantId: string;
  name: string;
  version: number;
  title: string;
  description: string;
  content: string;
  contentHash: string;
  definition: Record<string, unknown>;
  source: WorkflowSource;
}

/** Saved workflow versions; every query is scoped by tenant. */
@Injectable()
export class WorkflowsRepository {
  private readonly repo: Repository<WorkflowEntity>;

  constructor(@Inject(DataSource) db: DataSource) {
    this.repo = db.getRepository(WorkflowEntity);
  }

  /** The latest version of every workflow of the tenant (of each tenant for ALL_TENANTS), by name. */
  async listLatest(scope: TenantScope): Promise<WorkflowEntity[]> {
    return this.repo
      .createQueryBuilder('w')
      .distinctOn(['w.name', 'w.tenant_id'])
      .where('(CAST(:tenantId AS varchar) IS NULL OR w.tenant_id = :tenantId)', {
        tenantId: tenantParam(scope),
      })
      .orderBy('w.name', 'ASC')
      .addOrderBy('w.tenant_id', 'ASC')
      .addOrderBy('w.version', 'DESC')
      .getMany();
  }

  /**
   * The latest version. With ALL_TENANTS (the admin key) a name several tenants use resolves to
   * the most recently saved one; a tenant's key is specific.
   */
  async findLatest(scope: TenantScope, name: string): Promise<WorkflowEntity | null> {
    return this.repo.findOne({
      where: { ...tenantWhere(scope), name },
      order: scope === ALL_TENANTS ? { createdAt: 'DESC', version: 'DESC' } : { version: 'DESC' },
    });
  }

  /** Inserts one version; a unique violation of WORKFLOW_VERSION_CONSTRAINT means someone else took it. */
  async insertVersion(row: NewWorkflowVersion): Promise<WorkflowEntity> {
    const entity = this.repo.create(row);
    // The cast only bridges TypeORM's typing of jsonb columns typed as records.
    const result = await this.repo.insert(entity as QueryDeepPartialEntity<WorkflowEntity>);
    return Object.assign(entity, result.generatedMaps[0]);
  }

  /** Removes every version; returns how many there were. Runs keep their own snapshot. */
  async deleteAll(tenantId: string, name: string): Promise<number> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where('tenant_id = :tenantId AND name = :name', { tenantId, name })
      .execute();
    return result.affected ?? 0;
  }
}
