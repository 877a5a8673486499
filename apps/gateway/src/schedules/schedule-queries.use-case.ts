import { Injectable } from '@nestjs/common';
import type { ScheduleView } from '@sandcastle/contracts';
import { Paged } from '../http/paged';
import type { TenantScope } from '../tenancy/tenant-scope';
import type { ListSchedulesQuery } from './dto/list-schedules.query';
import { scheduleNotFound } from './schedule-not-found.util';
import { toScheduleView } from './schedule-view.util';
import { SchedulesRepository } from './schedules.repository';

/** `GET /schedules`, `GET /schedules/{id}` and `DELETE /schedules/{id}`: one query or write each. */
@Injectable()
export class ScheduleQueriesUseCase {
  constructor(private readonly schedules: SchedulesRepository) {}

  async list(scope: TenantScope, query: ListSchedulesQuery): Promise<Paged<ScheduleView>> {
    const [rows, total] = await this.schedules.list(scope, query.limit, query.offset);
    return new Paged(rows.map(toScheduleView), { total, limit: query.limit, offset: query.offset });
  }

  async get(scope: TenantScope, id: string): Promise<ScheduleView> {
    const row = await this.schedules.findById(scope, id);
    if (!row) throw scheduleNotFound(id);
    return toScheduleView(row);
  }

  /** Runs it started keep their `schedule_id`; a fire in progress finishes, no new one starts. */
  async delete(tenantId: string, id: string): Promise<{ deleted: true; id: string }> {
    if (!(await this.schedules.delete(tenantId, id))) throw scheduleNotFound(id);
    return { deleted: true, id };
  }
}
