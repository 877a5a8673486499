import { Inject, Injectable } from '@nestjs/common';
import type { ScheduleView } from '@sandcastle/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { requireOutboundUrl } from '../http/outbound-url.util';
import type { ScheduleFieldsDto } from './dto/schedule-fields.dto';
import { scheduleNotFound } from './schedule-not-found.util';
import { firstDueTime, requireValidCron } from './schedule-rules.util';
import { toScheduleView } from './schedule-view.util';
import { SchedulesRepository, type SchedulePatch } from './schedules.repository';

/**
 * `PATCH /schedules/{id}`. Only the given fields are written. A change of cron, time zone or
 * `enabled` sets the next due time from now (re-enabling never fires the due times missed while
 * disabled), and clears a reason the scheduler gave for disabling. Every scheduler replica reads
 * the row at its next tick: the change applies from the next due time, without a restart.
 */
@Injectable()
export class UpdateScheduleUseCase {
  constructor(
    private readonly schedules: SchedulesRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(tenantId: string, id: string, body: ScheduleFieldsDto): Promise<ScheduleView> {
    const current = await this.schedules.findById(tenantId, id);
    if (!current) throw scheduleNotFound(id);
    const patch: SchedulePatch = {};
    const allowPrivate = this.config.WEBHOOK_ALLOW_PRIVATE;
    // Re-sending `enabled: true` to an enabled schedule must not move its next due time.
    const timingChanged =
      body.cron_expression !== undefined ||
      body.timezone !== undefined ||
      (body.enabled !== undefined && body.enabled !== current.enabled);
    if (timingChanged) {
      const cron = requireValidCron(
        body.cron_expression ?? current.cronExpression,
        body.timezone ?? current.timezone,
      );
      const enabled = body.enabled ?? current.enabled;
      Object.assign(patch, {
        cronExpression: cron.expression,
        timezone: cron.timezone,
        enabled,
        nextRunAt: firstDueTime(cron, enabled),
        disabledReason: null,
      });
    }
    if (body.callback_url !== undefined)
      patch.callbackUrl =
        body.callback_url === null
          ? null
          : requireOutboundUrl(body.callback_url, 'callback_url', allowPrivate);
    if (body.notify?.slack !== undefined)
      patch.notifySlack =
        body.notify.slack === null
          ? null
          : requireOutboundUrl(body.notify.slack, 'notify.slack', allowPrivate);
    if (body.input_data !== undefined) patch.inputData = body.input_data;
    if (body.max_cost_usd !== undefined) patch.maxCostUsd = body.max_cost_usd;
    if (body.overlap !== undefined) patch.overlap = body.overlap;
    if (Object.keys(patch).length > 0) await this.schedules.update(tenantId, id, patch);
    const updated = await this.schedules.findById(tenantId, id);
    if (!updated) throw scheduleNotFound(id);
    return toScheduleView(updated);
  }
}
