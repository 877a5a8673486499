import {
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  type NatsNames,
  type RunStartCommand,
} from '@sandcastle/contracts';
import type { JetStreamPublisher } from '@sandcastle/messaging';
import { traceOf, withLogContext, type Logger } from '@sandcastle/observability';

/** A run the scheduler created, to be started once its transaction committed. */
export interface FiredRun {
  scheduleId: string;
  tenantId: string;
  runId: string;
  fireAt: Date;
  /** The run's trace, started by this firing (stored with the run). */
  traceparent: string;
}

/**
 * Sends `run.start` for scheduled runs, after commit, with the id `sched:<scheduleId>:<fireTime>`:
 * a re-publish of the same due time is dropped by the stream. The run row is the truth: if the
 * publish fails, the orchestrator's reconciler starts the queued run anyway (after ~10 s).
 */
export class ScheduledRunStarter {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly names: NatsNames,
    private readonly logger: Logger,
  ) {}

  async start(run: FiredRun): Promise<void> {
    await withLogContext({ trace: traceOf(run.traceparent), runId: run.runId, stepId: null }, () =>
      this.startInTrace(run),
    );
  }

  private async startInTrace(run: FiredRun): Promise<void> {
    const payload: RunStartCommand = { v: MESSAGE_SCHEMA_VERSION, tenantId: run.tenantId, runId: run.runId };
    try {
      await this.publisher.publish({
        subject: this.names.subjects.runStart,
        msgId: messageIds.schedule(run.scheduleId, run.fireAt.toISOString()),
        payload,
      });
    } catch (err) {
      this.logger.warn('publishing the start command failed; the reconciler will start the queued run', {
        runId: run.runId,
        scheduleId: run.scheduleId,
        err,
      });
    }
  }
}
