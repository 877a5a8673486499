import { Injectable } from '@nestjs/common';
import { Paged } from '../http/paged';
import type { TenantScope } from '../tenancy/tenant-scope';
import { DeadLetterRepository } from './dead-letter.repository';
import type { DeadLetterItemView } from './dead-letter.views';
import { toDeadLetterItemView } from './dead-letter-view.util';
import type { ListDeadLetterQuery } from './dto/list-dead-letter.query';

/** `GET /dead-letter`: newest first; `meta.open` counts the open items whatever the filter. */
@Injectable()
export class ListDeadLetterUseCase {
  constructor(private readonly items: DeadLetterRepository) {}

  async execute(scope: TenantScope, query: ListDeadLetterQuery): Promise<Paged<DeadLetterItemView>> {
    const [[rows, total], open] = await Promise.all([
      this.items.list(scope, query.resolved, query.limit, query.offset),
      this.items.countOpen(scope),
    ]);
    return new Paged(rows.map(toDeadLetterItemView), {
      total,
      limit: query.limit,
      offset: query.offset,
      open,
    });
  }
}
