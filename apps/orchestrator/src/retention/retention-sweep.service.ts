import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { retentionByTenant } from '@sandcastle/config';
import { LOGGER, METRICS_REGISTRY, type Logger } from '@sandcastle/observability';
import { STORAGE, type StorageBackend } from '@sandcastle/storage';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../config/orchestrator.config';
import { keepsEverything, sweepExpiredArtifacts, type RetentionPolicy } from './retention-sweep';
import { RetentionMetrics } from './retention.metrics';

/**
 * Runs the retention sweep every STORAGE_SWEEP_INTERVAL_MS (and once shortly after boot) on
 * every orchestrator replica; the advisory lock lets one of them work per round.
 */
@Injectable()
export class RetentionSweepService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly policy: RetentionPolicy;
  private readonly swept: RetentionMetrics['swept'];

  constructor(
    private readonly db: DataSource,
    @Inject(STORAGE) private readonly storage: StorageBackend,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.policy = {
      defaultDays: config.STORAGE_RETENTION_DAYS,
      byTenant: retentionByTenant(config.STORAGE_RETENTION_DAYS_BY_TENANT),
    };
    this.swept = new RetentionMetrics(registry).swept;
  }

  onApplicationBootstrap(): void {
    if (keepsEverything(this.policy)) return;
    const round = () => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = null));
    };
    this.timer = setInterval(round, this.config.STORAGE_SWEEP_INTERVAL_MS);
    setTimeout(round, 5000).unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<void> {
    try {
      const outcome = await sweepExpiredArtifacts(this.db, this.storage, this.policy);
      if (outcome.deleted > 0) this.swept.inc({ outcome: 'deleted' }, outcome.deleted);
      if (outcome.failed > 0) this.swept.inc({ outcome: 'failed' }, outcome.failed);
      if (outcome.deleted + outcome.failed > 0) this.logger.info('retention sweep', { ...outcome });
    } catch (err) {
      this.logger.error('retention sweep failed; it runs again next round', { err });
    }
  }
}
