import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { isTerminalRunStatus, type NatsNames } from '@sandcastle/contracts';
import { NATS_CONNECTION, NATS_NAMES } from '@sandcastle/messaging';
import { LOGGER, type Logger } from '@sandcastle/observability';
import type { RunEntity } from '@sandcastle/persistence';
import { RunsRepository } from './runs.repository';
import { Wakeup } from './wakeup.util';

/** The database is read at least this often while waiting, whatever the events do. */
export const POLL_INTERVAL_MS = 500;

/**
 * Waits for a run to reach a terminal status, for `POST /workflows/run/sync`. Run events
 * (published to JetStream, which core subscribers receive too) wake it early; polling the
 * database is the safety net for events missed while subscribing or during a broker hiccup.
 * The database stays the only source of truth: an event only triggers a re-read.
 */
@Injectable()
export class RunCompletionWaiter implements BeforeApplicationShutdown {
  private readonly shutdown = new AbortController();
  private readonly logger: Logger;

  constructor(
    private readonly runs: RunsRepository,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'run-completion' });
  }

  /**
   * The run once terminal, or as it is when `timeoutMs` passed, the caller went away (`signal`)
   * or the gateway is shutting down. Null if the run does not exist. `pollIntervalMs` bounds how
   * late a missed event can make the answer (a short wait such as a cancel polls more often).
   */
  async waitForEnd(
    tenantId: string,
    runId: string,
    timeoutMs: number,
    signal?: AbortSignal,
    pollIntervalMs: number = POLL_INTERVAL_MS,
  ): Promise<RunEntity | null> {
    const stop = signal ? AbortSignal.any([signal, this.shutdown.signal]) : this.shutdown.signal;
    const deadline = Date.now() + timeoutMs;
    const wakeup = new Wakeup();
    // Subscribed before the first read, so an event between the read and the wait is not missed.
    const subscription = this.subscribe(runId, wakeup);
    try {
      for (;;) {
        const run = await this.runs.findById(tenantId, runId);
        const remaining = deadline - Date.now();
        if (!run || isTerminalRunStatus(run.status) || remaining <= 0 || stop.aborted) return run;
        await wakeup.wait(Math.min(pollIntervalMs, remaining), stop);
      }
    } finally {
      subscription?.unsubscribe();
    }
  }

  beforeApplicationShutdown(): void {
    // Waiting callers answer with the run so far, so shutdown is not held up for minutes.
    this.shutdown.abort();
  }

  private subscribe(runId: string, wakeup: Wakeup): Subscription | undefined {
    try {
      return this.nc.subscribe(this.names.runEvents(runId), { callback: () => wakeup.fire() });
    } catch (err) {
      this.logger.warn('could not subscribe to run events; polling only', { runId, err });
      return undefined;
    }
  }
}
