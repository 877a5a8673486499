import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ScheduleView } from '@sandcastle/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { requireOutboundUrl } from '../http/outbound-url.util';
import { workflowNotFound } from '../workflows/workflow-not-found.util';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import type { CreateScheduleDto } from './dto/create-schedule.dto';
import { firstDueTime, requireValidCron } from './schedule-rules.util';
import { toScheduleView } from './schedule-view.util';
import { SchedulesRepository } from './schedules.repository';

/**
 * `POST /schedules`: every check first (cron, time zone, URLs, the workflow exists for this
 * tenant), then one INSERT with the first due time, so a refused request stores nothing.
 */
@Injectable()
export class CreateScheduleUseCase {
  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly workflows: WorkflowsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(
    tenantId: string,
    body: CreateScheduleDto,
    keyMaxCostUsd: number | null,
  ): Promise<ScheduleView> {
    const cron = requireValidCron(body.cron_expression, body.timezone ?? 'UTC');
    const allowPrivate = this.config.WEBHOOK_ALLOW_PRIVATE;
    const callbackUrl = body.callback_url
      ? requireOutboundUrl(body.callback_url, 'callback_url', allowPrivate)
      : null;
    const slack = body.notify?.slack
      ? requireOutboundUrl(body.notify.slack, 'notify.slack', allowPrivate)
      : null;
    const workflow = await this.workflows.findLatest(tenantId, body.workflow_name);
    if (!workflow) {
      throw workflowNotFound(body.workflow_name, await this.workflows.visibleNames(tenantId));
    }
    const enabled = body.enabled ?? true;
    const row = await this.schedules.insert({
      id: randomUUID(),
      tenantId,
      workflowName: workflow.name,
      cronExpression: cron.expression,
      timezone: cron.timezone,
      inputData: body.input_data ?? {},
      maxCostUsd: body.max_cost_usd ?? null,
      keyMaxCostUsd,
      callbackUrl,
      notifySlack: slack,
      enabled,
      overlap: body.overlap ?? 'allow',
      nextRunAt: firstDueTime(cron, enabled),
      disabledReason: null,
    });
    const stored = await this.schedules.findById(tenantId, row.id);
    return toScheduleView(stored ?? row);
  }
}
