import { Inject, Injectable } from '@nestjs/common';
import {
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  type NatsNames,
  type RunStartCommand,
} from '@sandcastle/contracts';
import { JetStreamPublisher, NATS_NAMES } from '@sandcastle/messaging';
import { currentLogContext, LOGGER, traceOf, withLogContext, type Logger } from '@sandcastle/observability';

/**
 * Sends `run.start` for a run row already inserted (a new run, a replay or fork, a dead letter
 * retry). The row is the truth: if the publish fails, the orchestrator's reconciler starts the
 * queued run anyway (after ~10 s), so the caller still answers 202 and only a warning is logged.
 */
@Injectable()
export class RunStartPublisher {
  private readonly logger: Logger;

  constructor(
    private readonly publisher: JetStreamPublisher,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'run-start' });
  }

  /** Sends `run.start` in the run's trace (the request's, stored with the run). */
  async publish(run: { id: string; tenantId: string; traceparent?: string | null }): Promise<void> {
    const trace = traceOf(run.traceparent) ?? currentLogContext()?.trace;
    await withLogContext({ trace, runId: run.id, stepId: null }, async () => {
      const payload: RunStartCommand = { v: MESSAGE_SCHEMA_VERSION, tenantId: run.tenantId, runId: run.id };
      try {
        await this.publisher.publish({
          subject: this.names.subjects.runStart,
          msgId: messageIds.runStart(run.id),
          payload,
        });
        this.logger.info('run queued', { runId: run.id, tenantId: run.tenantId });
      } catch (err) {
        this.logger.warn('publishing the start command failed; the reconciler will start the queued run', {
          runId: run.id,
          err,
        });
      }
    });
  }
}
