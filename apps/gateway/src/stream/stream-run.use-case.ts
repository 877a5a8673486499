import { Inject, Injectable } from '@nestjs/common';
import { isTerminalRunStatus } from '@sandcastle/contracts';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { ApiException } from '../http/api.exception';
import { GetRunUseCase, runNotFound } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import type { TenantScope } from '../tenancy/tenant-scope';
import { RunEventHub, type HubMembership } from './run-event-hub.service';
import { RunEventsRepository } from './run-events.repository';
import { RunStreamSession } from './run-stream.session';
import type { SseSink } from './sse-sink';
import { StreamMetrics } from './stream.metrics';

export interface StreamRunRequest {
  /** The caller's tenant, or every tenant for the admin key; the run's own tenant is used from then on. */
  tenantId: TenantScope;
  runId: string;
  /** The client's `Last-Event-ID`, or null for a new stream. */
  lastEventId: number | null;
}

/**
 * `GET /runs/{id}/stream`. Everything that can fail with a JSON error (unknown run, broker
 * unreachable) happens before `open()` starts the event stream.
 *
 * A new stream reads the run's last stored event sequence L first, then the run: the snapshot
 * then reflects at least everything up to L, so it is sent as `status` with id L and every
 * event after L follows — nothing between reading and subscribing is lost. A resumed stream
 * (Last-Event-ID n) sends the stored events after n instead of a snapshot; when events after n
 * may have expired from the stream, it starts over with a snapshot.
 */
@Injectable()
export class StreamRunUseCase {
  private readonly logger: Logger;

  constructor(
    private readonly runs: RunsRepository,
    private readonly getRun: GetRunUseCase,
    private readonly events: RunEventsRepository,
    private readonly hub: RunEventHub,
    private readonly metrics: StreamMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'run-stream' });
  }

  /** Resolves when the stream is over (the run ended, the client left, or the gateway stops). */
  async execute(request: StreamRunRequest, open: () => SseSink): Promise<void> {
    const { runId, lastEventId } = request;
    const resume = lastEventId !== null && (await this.unavailableIfFails(() => this.canResume(lastEventId)));
    const cursor = resume
      ? lastEventId
      : await this.unavailableIfFails(() => this.events.lastSequence(runId));
    const run = await this.runs.findById(request.tenantId, runId);
    if (!run) throw runNotFound(runId);
    const tenantId = run.tenantId;
    const snapshot = resume ? null : await this.getRun.viewOf(run);
    const session = new RunStreamSession(
      tenantId,
      runId,
      cursor,
      () => this.getRun.execute(tenantId, runId),
      this.logger,
    );

    if (isTerminalRunStatus(run.status)) {
      // Nothing live to wait for: the stored events the client misses (if any), then the result.
      const upTo = resume ? await this.unavailableIfFails(() => this.events.lastSequence(runId)) : cursor;
      const sink = this.openCounted(open);
      session.start(sink);
      if (snapshot) session.sendSnapshot(snapshot);
      await this.run(session, sink, async () => {
        await this.catchUp(session, runId, cursor, upTo, sink.closed);
        await session.finish();
      });
      return;
    }

    const membership = this.hub.join(runId, session);
    let from: number;
    try {
      from = await this.unavailableIfFails(() => membership.from);
    } catch (err) {
      membership.leave();
      throw err;
    }
    const sink = this.openCounted(open, membership);
    session.start(sink);
    if (snapshot) session.sendSnapshot(snapshot);
    await this.run(session, sink, async () => {
      await this.catchUp(session, runId, cursor, from, sink.closed);
      session.goLive();
      await new Promise<void>((resolve) => {
        if (sink.closed.aborted) resolve();
        else sink.closed.addEventListener('abort', () => resolve(), { once: true });
      });
      await session.settled();
    });
  }

  /**
   * A position is usable when it is within the stream: not past its end (ids from a stream that
   * was recreated) and not before what it still keeps (events after it may have expired).
   */
  private async canResume(lastEventId: number): Promise<boolean> {
    const { first, last } = await this.events.streamBounds();
    return lastEventId <= last && lastEventId + 1 >= first;
  }

  private async catchUp(
    session: RunStreamSession,
    runId: string,
    after: number,
    upTo: number,
    signal: AbortSignal,
  ): Promise<void> {
    for await (const stored of this.events.readStored(runId, after, upTo, signal)) {
      await session.deliver(stored);
      if (session.isFinished) return;
    }
  }

  /** Runs the open stream's work; a failure ends the stream (the client resumes) and is logged. */
  private async run(session: RunStreamSession, sink: SseSink, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (!sink.closed.aborted)
        this.logger.warn('run stream failed; the client will reconnect', { runId: session.runId, err });
    } finally {
      sink.end();
    }
  }

  private openCounted(open: () => SseSink, membership?: HubMembership): SseSink {
    const sink = open();
    this.metrics.clients.inc();
    sink.closed.addEventListener(
      'abort',
      () => {
        this.metrics.clients.dec();
        membership?.leave();
      },
      { once: true },
    );
    return sink;
  }

  /** The broker is a dependency: before the stream starts, its failure is a 503, not a 500. */
  private async unavailableIfFails<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      this.logger.warn('run events are unavailable', { err });
      throw new ApiException(
        'SERVICE_UNAVAILABLE',
        'live run events are unavailable right now; try again shortly',
      );
    }
  }
}
