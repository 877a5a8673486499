import { Injectable } from '@nestjs/common';
import type { DeliveryView } from '@sandcastle/contracts';
import { ApiException } from '../http/api.exception';
import { Paged } from '../http/paged';
import { RunsRepository } from '../runs/runs.repository';
import type { TenantScope } from '../tenancy/tenant-scope';
import { toDeliveryView, webhookTemplatesOf } from './delivery-view.util';
import { DeliveriesRepository } from './deliveries.repository';

/** `GET /runs/{id}/deliveries` and `POST /deliveries/{id}/redeliver`. */
@Injectable()
export class DeliveriesUseCase {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly runs: RunsRepository,
  ) {}

  async listForRun(scope: TenantScope, runId: string): Promise<Paged<DeliveryView>> {
    const run = await this.runs.findById(scope, runId);
    if (!run) throw new ApiException('RUN_NOT_FOUND', `run '${runId}' not found`);
    const rows = await this.deliveries.listForRun(scope, runId);
    const attempts = await this.deliveries.attemptsOf(rows.map((r) => r.id));
    return Paged.all(rows.map((row) => toDeliveryView(row, attempts, webhookTemplatesOf(run.definition))));
  }

  /** Sends a delivery again (also a delivered or failed one), from now, under the same id. */
  async redeliver(tenantId: string, id: string): Promise<DeliveryView> {
    const found = await this.deliveries.findById(tenantId, id);
    if (!found) throw new ApiException('DELIVERY_NOT_FOUND', `delivery '${id}' not found`);
    if (!(await this.deliveries.requeue(tenantId, id))) {
      throw new ApiException(
        'INVALID_STATUS',
        `delivery '${id}' is being sent right now; try again in a moment`,
      );
    }
    const row = await this.deliveries.findById(tenantId, id);
    if (!row) throw new ApiException('DELIVERY_NOT_FOUND', `delivery '${id}' not found`);
    const run = await this.runs.findById(tenantId, row.runId);
    return toDeliveryView(row, await this.deliveries.attemptsOf([id]), webhookTemplatesOf(run?.definition));
  }
}
