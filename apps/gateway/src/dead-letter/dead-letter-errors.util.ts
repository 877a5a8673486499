import type { DeadLetterItemEntity } from '@sandcastle/persistence';
import { ApiException } from '../http/api.exception';

export function deadLetterItemNotFound(id: string): ApiException {
  return new ApiException('DLQ_ITEM_NOT_FOUND', `dead letter item '${id}' not found`);
}

/** Why an item could not be resolved: it does not exist for the tenant, or it was resolved before. */
export function notOpen(id: string, item: DeadLetterItemEntity | null): ApiException {
  if (!item) return deadLetterItemNotFound(id);
  const how = item.resolvedBy === 'retry' ? `retried as run '${item.retryRunId}'` : 'resolved by hand';
  const when = item.resolvedAt ? ` at ${item.resolvedAt.toISOString()}` : '';
  return new ApiException('ALREADY_RESOLVED', `dead letter item '${id}' was already ${how}${when}`);
}
