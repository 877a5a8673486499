import type { ScheduleView } from '@sandcastle/contracts';
import type { ScheduleEntity } from '@sandcastle/persistence';
import { describeCron } from '@sandcastle/workflow';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toScheduleView(row: ScheduleEntity): ScheduleView {
  return {
    id: row.id,
    workflow_name: row.workflowName,
    cron_expression: row.cronExpression,
    timezone: row.timezone,
    description: describeCron(row.cronExpression),
    input_data: row.inputData,
    enabled: row.enabled,
    overlap: row.overlap,
    max_cost_usd: row.maxCostUsd,
    callback_url: row.callbackUrl,
    notify: { slack: row.notifySlack },
    next_run_at: iso(row.nextRunAt),
    last_run_at: iso(row.lastRunAt),
    last_run_id: row.lastRunId,
    disabled_reason: row.disabledReason,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
