import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { ScheduleEntity } from '@sandcastle/persistence';
import { tenantWhere, type TenantScope } from '../tenancy/tenant-scope';

/** Columns a PATCH may write (camelCase entity names); absent keys are left as they are. */
export type SchedulePatch = Partial<
  Pick<
    ScheduleEntity,
    | 'cronExpression'
    | 'timezone'
    | 'inputData'
    | 'enabled'
    | 'overlap'
    | 'maxCostUsd'
    | 'callbackUrl'
    | 'notifySlack'
    | 'nextRunAt'
    | 'disabledReason'
  >
>;

/** Schedules; every query is scoped by tenant. The scheduler fires them with its own SQL. */
@Injectable()
export class SchedulesRepository {
  private readonly repo: Repository<ScheduleEntity>;

  constructor(@Inject(DataSource) db: DataSource) {
    this.repo = db.getRepository(ScheduleEntity);
  }

  async insert(
    row: Omit<ScheduleEntity, 'createdAt' | 'updatedAt' | 'lastRunAt' | 'lastRunId'>,
  ): Promise<ScheduleEntity> {
    const entity = this.repo.create({ ...row, lastRunAt: null, lastRunId: null });
    const result = await this.repo.insert(entity as QueryDeepPartialEntity<ScheduleEntity>);
    return Object.assign(entity, result.generatedMaps[0]);
  }

  async findById(scope: TenantScope, id: string): Promise<ScheduleEntity | null> {
    return this.repo.findOne({ where: { ...tenantWhere(scope), id } });
  }

  async list(scope: TenantScope, limit: number, offset: number): Promise<[ScheduleEntity[], number]> {
    return this.repo.findAndCount({
      where: tenantWhere(scope),
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  /** Writes only the given columns (a concurrent fire keeps its own `next_run_at` otherwise). */
  async update(tenantId: string, id: string, patch: SchedulePatch): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update(ScheduleEntity)
      .set({ ...patch, updatedAt: () => 'now()' } as QueryDeepPartialEntity<ScheduleEntity>)
      .where('id = :id AND tenant_id = :tenantId', { id, tenantId })
      .execute();
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where('id = :id AND tenant_id = :tenantId', { id, tenantId })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
