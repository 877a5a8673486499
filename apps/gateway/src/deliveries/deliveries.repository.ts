import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { returnedRows, WebhookAttemptEntity, WebhookDeliveryEntity } from '@sandcastle/persistence';
import { tenantWhere, type TenantScope } from '../tenancy/tenant-scope';

/** Webhook deliveries (written by the notifier); every query is scoped by tenant. */
@Injectable()
export class DeliveriesRepository {
  private readonly deliveries: Repository<WebhookDeliveryEntity>;
  private readonly attempts: Repository<WebhookAttemptEntity>;

  constructor(@Inject(DataSource) private readonly db: DataSource) {
    this.deliveries = db.getRepository(WebhookDeliveryEntity);
    this.attempts = db.getRepository(WebhookAttemptEntity);
  }

  async listForRun(scope: TenantScope, runId: string): Promise<WebhookDeliveryEntity[]> {
    return this.deliveries.find({
      where: { ...tenantWhere(scope), runId },
      order: { createdAt: 'ASC', target: 'ASC' },
    });
  }

  async findById(scope: TenantScope, id: string): Promise<WebhookDeliveryEntity | null> {
    return this.deliveries.findOne({ where: { ...tenantWhere(scope), id } });
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<WebhookAttemptEntity[]> {
    if (deliveryIds.length === 0) return [];
    return this.attempts
      .createQueryBuilder('a')
      .where('a.delivery_id IN (:...ids)', { ids: deliveryIds })
      .orderBy('a.attempt', 'ASC')
      .getMany();
  }

  /**
   * Queues a delivery again now, with a fresh retry window as long as its first one. Refused
   * (false) while an attempt is in flight (`sending` with a live lease).
   */
  async requeue(tenantId: string, id: string): Promise<boolean> {
    const raw: unknown = await this.db.query(
      `UPDATE webhook_deliveries
          SET status = 'pending', next_attempt_at = now(), locked_until = NULL,
              give_up_at = now() + (give_up_at - created_at), delivered_at = NULL, updated_at = now()
        WHERE id = $1 AND tenant_id = $2
          AND NOT (status = 'sending' AND locked_until > now())
        RETURNING id`,
      [id, tenantId],
    );
    return returnedRows(raw).length > 0;
  }
}
