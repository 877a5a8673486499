import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { WorkflowEntity, type WorkflowSource } from '@sandcastle/persistence';

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

  /** The latest version of every workflow of the tenant, by name. */
  async listLatest(tenantId: string): Promise<WorkflowEntity[]> {
    return this.repo
      .createQueryBuilder('w')
      .distinctOn(['w.name'])
      .where('w.tenant_id = :tenantId', { tenantId })
      .orderBy('w.name', 'ASC')
      .addOrderBy('w.version', 'DESC')
      .getMany();
  }

  async findLatest(tenantId: string, name: string): Promise<WorkflowEntity | null> {
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
