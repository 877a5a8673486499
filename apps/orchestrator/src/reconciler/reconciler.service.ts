import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { OrchestratorMetrics } from '../engine/orchestrator.metrics';
import { RunEngine } from '../engine/run-engine';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../config/orchestrator.config';

/**
 * The orchestrator's clock. Every tick it dispatches retries whose backoff elapsed, fails
 * attempts that outlived their deadline (their executor died), starts queued runs whose start
 * command was lost, dispatches attempts waiting for a tenant slot, decides approvals whose timeout
 * passed (and applies decisions whose command was lost), and publishes outbox messages
 * a crash left behind. Every replica runs it; `FOR UPDATE SKIP LOCKED` keeps replicas from doing
 * the same run twice. Each sweep is isolated (and each run within a sweep, see RunEngine): one
 * that throws is logged and counted, and the tick goes on with the others — the outbox relay
 * above all.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private ticks = 0;

  constructor(
    private readonly engine: RunEngine,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = null));
    }, this.config.RECONCILE_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.engine.settled();
    await this.engine
      .deletePublished()
      .catch((err: unknown) => this.logger.warn('outbox cleanup failed', { err }));
  }

  async tick(): Promise<void> {
    this.ticks++;
    await this.sweep('outbox-cleanup', () => this.engine.deletePublished());
    await this.sweep('retries', () => this.engine.dispatchDueRetries());
    await this.sweep('capacity', () => this.engine.dispatchWaitingAttempts());
    // The slower sweeps run about once a second whatever the tick interval.
    if (this.ticks % Math.max(1, Math.round(1000 / this.config.RECONCILE_INTERVAL_MS)) === 0) {
      await this.sweep('cancel-requests', () => this.engine.applyCancelRequests());
      await this.sweep('approvals', () => this.engine.sweepApprovals());
      await this.sweep('lost-attempts', () => this.engine.failLostAttempts());
      await this.sweep('stale-queued-runs', () =>
        this.engine.startStaleQueuedRuns(this.config.STALE_QUEUED_RUN_SECONDS * 1000),
      );
      await this.sweep('outbox-relay', () => this.engine.relayOutbox(2000));
    }
  }

  private async sweep(name: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.metrics.reconcilerFailures.inc({ sweep: name, scope: 'sweep' });
      this.logger.error('reconciler sweep failed; the other sweeps go on', { sweep: name, err });
    }
  }
}
