import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { NatsNames } from '@sandcastle/contracts';
import { NATS_CONNECTION, NATS_NAMES } from '@sandcastle/messaging';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { StepRunnerService } from './step-runner.service';

/**
 * Listens on core NATS `<ns>.ctl.cancel.<runId>` (not persisted: only attempts running right
 * now matter) and aborts that run's attempts here. Aborting closes the Sandstorm connection,
 * which makes Sandstorm kill the sandbox.
 */
@Injectable()
export class CancelListenerService implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly runner: StepRunnerService,
  ) {}

  onApplicationBootstrap(): void {
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
        const aborted = this.runner.abortRun(runId, reason);
        if (aborted > 0) this.logger.info('aborted attempts of a stopped run', { runId, aborted });
      },
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
