import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@sandcastle/observability';
import type { FireSchedulesUseCase } from './fire-schedules.use-case';
import type { SchedulerMetrics } from './scheduler.metrics';

/**
 * The scheduler's clock: every SCHEDULER_TICK_MS it fires what is due. Schedules are read from
 * the database on every tick (an indexed query on `next_run_at`), so an edit, enable, disable
 * or delete takes effect at the next due time on every replica without a restart. Ticks never
 * overlap within a replica; replicas share the work through row locks.
 */
export class ScheduleTicker implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly fire: FireSchedulesUseCase,
    private readonly tickMs: number,
    private readonly metrics: SchedulerMetrics,
    private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = null));
    }, this.tickMs);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    const end = this.metrics.tickDuration.startTimer();
    try {
      await this.fire.execute();
      this.metrics.lastTick.set(Date.now() / 1000);
    } catch (err) {
      this.logger.error('scheduler tick failed', { err });
    } finally {
      end();
    }
  }
}
