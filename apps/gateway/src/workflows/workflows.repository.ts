import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import {
  findLatestWorkflow,
  SHARED_WORKFLOWS_TENANT,
  WorkflowEntity,
  type WorkflowSource,
} from '@sandcastle/persistence';
import { ALL_TENANTS, type TenantScope } from '../tenancy/tenant-scope';

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

export { SHARED_WORKFLOWS_TENANT } from '@sandcastle/persistence';

/** Saved workflow versions; every query is scoped by tenant (a tenant also sees the shared ones). */
@Injectable()
export class WorkflowsRepository {
  private readonly repo: Repository<WorkflowEntity>;

  constructor(@Inject(DataSource) db: DataSource) {
    this.repo = db.getRepository(WorkflowEntity);
  }

  /**
   * The latest version of every workflow the scope sees, by name: a tenant's own, plus the shared
   * ones it has not shadowed; for ALL_TENANTS (the admin key) every tenant's, shared included.
   */
  async listLatest(scope: TenantScope): Promise<WorkflowEntity[]> {
    if (scope === ALL_TENANTS) {
      return this.repo
        .createQueryBuilder('w')
        .distinctOn(['w.name', 'w.tenant_id'])
        .orderBy('w.name', 'ASC')
        .addOrderBy('w.tenant_id', 'ASC')
        .addOrderBy('w.version', 'DESC')
        .getMany();
    }
    return this.repo
      .createQueryBuilder('w')
      .distinctOn(['w.name'])
      .where('w.tenant_id IN (:tenantId, :shared)', { tenantId: scope, shared: SHARED_WORKFLOWS_TENANT })
      .orderBy('w.name', 'ASC')
      .addOrderBy('(w.tenant_id = :tenantId)', 'DESC')
      .addOrderBy('w.version', 'DESC')
      .getMany();
  }

  /**
   * The latest version the scope sees under `name`: the tenant's own, else the shared one. With
   * ALL_TENANTS (the admin key) a name several tenants use resolves to the most recently saved.
   */
  async findLatest(scope: TenantScope, name: string): Promise<WorkflowEntity | null> {
    if (scope === ALL_TENANTS) {
      return this.repo.findOne({ where: { name }, order: { createdAt: 'DESC', version: 'DESC' } });
    }
    return findLatestWorkflow(this.repo.manager, scope, name);
  }

  /**
   * The names the scope sees (its own and the shared ones; every tenant's for ALL_TENANTS), at
   * most `limit` of them: the candidates for a "did you mean" hint.
   */
  async visibleNames(scope: TenantScope, limit = 1000): Promise<string[]> {
    const query = this.repo.createQueryBuilder('w').select('w.name', 'name').distinct(true);
    if (scope !== ALL_TENANTS) {
      query.where('w.tenant_id IN (:tenantId, :shared)', {
        tenantId: scope,
        shared: SHARED_WORKFLOWS_TENANT,
      });
    }
    const rows = await query.orderBy('w.name', 'ASC').limit(limit).getRawMany<{ name: string }>();
    return rows.map((row) => row.name);
  }

  /** One page of the versions of `name` saved by `tenantId`, newest first, and how many there are. */
  async listVersions(
    tenantId: string,
    name: string,
    limit: number,
    offset: number,
  ): Promise<[WorkflowEntity[], number]> {
    return this.repo.findAndCount({
      where: { tenantId, name },
      order: { version: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  /** One version saved by `tenantId`. */
  async findVersion(tenantId: string, name: string, version: number): Promise<WorkflowEntity | null> {
    return this.repo.findOne({ where: { tenantId, name, version } });
  }

  /** The latest version saved by exactly this tenant (versions are numbered per tenant). */
  async findOwnLatest(tenantId: string, name: string): Promise<WorkflowEntity | null> {
    return this.repo.findOne({ where: { tenantId, name }, order: { version: 'DESC' } });
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
