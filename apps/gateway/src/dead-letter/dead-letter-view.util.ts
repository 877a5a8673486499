import type { DeadLetterItemEntity } from '@sandcastle/persistence';
import type { DeadLetterItemView } from './dead-letter.views';

export function toDeadLetterItemView(item: DeadLetterItemEntity): DeadLetterItemView {
  return {
    id: item.id,
    run_id: item.runId,
    workflow_name: item.workflowName,
    step_id: item.stepId,
    parallel_index: item.itemIndex,
    error: item.error,
    input_data: item.inputData,
    attempts: item.attempts,
    created_at: item.createdAt.toISOString(),
    resolved_at: item.resolvedAt ? item.resolvedAt.toISOString() : null,
    resolved_by: item.resolvedBy,
    resolution_reason: item.resolutionReason,
    retry_run_id: item.retryRunId,
  };
}
