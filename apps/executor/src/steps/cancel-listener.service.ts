import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { NatsNames } from '@sandcastle/contracts';
import { NATS_CONNECTION, NATS_NAMES, StoppedRuns } from '@sandcastle/messaging';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { StepRunnerService } from './step-runner.service';
import { StoppedRunsRegistry } from './stopped-runs.registry';

/**
 * Learns which runs were stopped, two ways: core NATS `<ns>.ctl.cancel.<runId>` (immediate, not
 * persisted) and the stopped-runs bucket (durable: also covers executors that start later and
 * dispatches still queued). Either way it aborts that run's attempts running here — closing the
 * Sandstorm connection, which makes Sandstorm kill the sandbox — and remembers the run so its
 * queued dispatches are skipped.
 */
@Injectable()
export class CancelListenerService implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | null = null;
  private stopWatching: (() => void) | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly runner: StepRunnerService,
    private readonly registry: StoppedRunsRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stoppedRuns = await StoppedRuns.open(this.nc, this.names);
    this.stopWatching = await stoppedRuns.watch((runId, reason, at) => this.stop(runId, reason, at));
    this.logger.info('watching stopped runs', { known: this.registry.size });
    this.subscription = this.nc.subscribe(this.names.subjects.cancelControlAll, {
      callback: (err, msg) => {
        if (err) return;
        const runId = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
        let reason = 'run stopped';
        try {
          const body = msg.json<{ reason?: string | null }>();
          if (body.reason) reason = body.reason;
        } catch {
          // A signal without a readable body still aborts.
        }
        this.stop(runId, reason);
      },
    });
  }

  private stop(runId: string, reason: string, at?: Date): void {
    this.registry.add(runId, reason, at);
    const aborted = this.runner.abortRun(runId, reason);
    if (aborted > 0) this.logger.info('aborted attempts of a stopped run', { runId, aborted });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.stopWatching?.();
  }
}
