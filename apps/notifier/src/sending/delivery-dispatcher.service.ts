import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@sandcastle/observability';
import type { NotifierMetrics } from '../notifier.metrics';
import type { DeliveriesRepository } from '../planning/deliveries.repository';
import type { SendDeliveryUseCase } from './send-delivery.use-case';

export interface DispatcherSettings {
  pollMs: number;
  concurrency: number;
  /** How long a claim is held: longer than one attempt can take. */
  leaseMs: number;
}

/**
 * Sends due deliveries, independently of the engine: the orchestrator only publishes a run's
 * end, so a slow or dead receiver never slows a run. Every poll claims what fits in the free
 * slots (SKIP LOCKED, so replicas share the queue) and sends each in the background.
 */
export class DeliveryDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private polls = 0;

  constructor(
    private readonly repository: DeliveriesRepository,
    private readonly sendDelivery: SendDeliveryUseCase,
    private readonly settings: DispatcherSettings,
    private readonly metrics: NotifierMetrics,
    private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.polling) this.polling = this.poll().finally(() => (this.polling = null));
    }, this.settings.pollMs);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    // Let attempts in flight finish (bounded by their timeout); an aborted one is retried by
    // another replica once its lease runs out.
    const drained = Promise.all([...this.inFlight]);
    const late = new Promise((resolve) => setTimeout(resolve, 15_000).unref());
    if ((await Promise.race([drained.then(() => 'done'), late])) !== 'done') this.shutdown.abort();
    await drained;
  }

  async poll(): Promise<void> {
    try {
      this.polls += 1;
      if (this.polls % Math.max(1, Math.round(5000 / this.settings.pollMs)) === 1) {
        this.metrics.queueSize.set(await this.repository.queueSize());
      }
      const free = this.settings.concurrency - this.inFlight.size;
      if (free <= 0 || this.shutdown.signal.aborted) return;
      const claimed = await this.repository.claimDue(free, this.settings.leaseMs);
      for (const delivery of claimed) {
        const task = this.sendDelivery
          .execute(delivery, this.shutdown.signal)
          .then(() => undefined)
          .catch((err: unknown) =>
            this.logger.error('delivery attempt failed to record; retried after its lease', {
              deliveryId: delivery.id,
              err,
            }),
          )
          .finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
      }
    } catch (err) {
      this.logger.error('delivery poll failed', { err });
    }
  }
}
