import { Injectable } from '@nestjs/common';
import { DeadLetterRepository } from './dead-letter.repository';
import type { DeadLetterItemView } from './dead-letter.views';
import { notOpen } from './dead-letter-errors.util';
import { toDeadLetterItemView } from './dead-letter-view.util';

/** `POST /dead-letter/{id}/resolve`: closes an open item by hand, keeping the reason given. */
@Injectable()
export class ResolveDeadLetterUseCase {
  constructor(private readonly items: DeadLetterRepository) {}

  async execute(tenantId: string, id: string, reason: string | null): Promise<DeadLetterItemView> {
    const resolved = await this.items.resolveIfOpen(tenantId, id, { by: 'manual', reason });
    if (!resolved) throw notOpen(id, await this.items.findById(tenantId, id));
    return toDeadLetterItemView(resolved);
  }
}
