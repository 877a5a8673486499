import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { RunEventsRepository, type LiveRunEvents } from './run-events.repository';
import type { StoredRunEvent } from './stored-run-event';
import { StreamMetrics } from './stream.metrics';

export interface RunEventListener {
  /** Called synchronously for every live event, in stream order. Must not throw. */
  onEvent(stored: StoredRunEvent): void;
  /** The shared feed stopped (broker trouble, shutdown): the client should reconnect and resume. */
  onEnd(reason: Error): void;
}

export interface HubMembership {
  /**
   * The stream sequence after which this member receives every event of the run live. Events
   * up to it are the member's to read from storage. Rejects when the feed cannot be started.
   */
  readonly from: Promise<number>;
  /** Stops delivery to this member; the last member leaving closes the feed. Idempotent. */
  leave(): void;
}

class Feed {
  readonly members = new Set<RunEventListener>();
  /** Sequence of the last event handed to members (before the first: the start point - 1). */
  position: number | null = null;
  startPosition = 0;
  live: LiveRunEvents | null = null;
  closed = false;
  started: Promise<void> = Promise.resolve();

  constructor(readonly runId: string) {}
}

/**
 * One live feed per run per gateway process, shared by every client streaming that run.
 *
 * Design: a feed is an ordered JetStream consumer on `<ns>.evt.run.<id>.>` that starts after the
 * stream's current last sequence, so it carries only what is published from then on. A client
 * joining gets `from`, the feed's position at that moment: every event after `from` reaches it
 * live (members are called synchronously, in order), and it reads the events it needs up to
 * `from` from storage itself (catch-up for a new snapshot or a Last-Event-ID resume). Reading
 * storage per client keeps the feed free of per-client buffers; sharing the live side keeps the
 * broker at one consumer per watched run, however many tabs follow it. (A core NATS
 * subscription would be cheaper but does not carry the stream sequence, which is the event id.)
 * The feed is reference counted: the last member leaving closes it and deletes its consumer.
 */
@Injectable()
export class RunEventHub implements BeforeApplicationShutdown {
  private readonly feeds = new Map<string, Feed>();
  private readonly logger: Logger;

  constructor(
    private readonly events: RunEventsRepository,
    private readonly metrics: StreamMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'run-event-hub' });
  }

  join(runId: string, listener: RunEventListener): HubMembership {
    const feed = this.feeds.get(runId) ?? this.open(runId);
    feed.members.add(listener);
    const from =
      feed.position !== null ? Promise.resolve(feed.position) : feed.started.then(() => feed.startPosition);
    let left = false;
    return {
      from,
      leave: () => {
        if (left) return;
        left = true;
        feed.members.delete(listener);
        if (feed.members.size === 0) this.close(feed);
      },
    };
  }

  /** Feeds currently open (for tests and diagnostics). */
  get size(): number {
    return this.feeds.size;
  }

  beforeApplicationShutdown(): void {
    // Ends every open stream so the HTTP server can close; clients resume on another replica.
    const reason = new Error('the gateway is shutting down');
    for (const feed of [...this.feeds.values()]) this.end(feed, reason);
  }

  private open(runId: string): Feed {
    const feed = new Feed(runId);
    this.feeds.set(runId, feed);
    this.metrics.subscriptions.inc();
    feed.started = this.start(feed);
    // Members see a failed start through `from`; this only keeps it from being unhandled.
    feed.started.catch(() => undefined);
    return feed;
  }

  private async start(feed: Feed): Promise<void> {
    try {
      const { last } = await this.events.streamBounds();
      const live = await this.events.follow(feed.runId, last + 1);
      feed.startPosition = last;
      feed.position = last;
      if (feed.closed) {
        await live.close();
        return;
      }
      feed.live = live;
      void this.pump(feed, live);
    } catch (err) {
      this.close(feed);
      throw err;
    }
  }

  private async pump(feed: Feed, live: LiveRunEvents): Promise<void> {
    let reason: Error;
    try {
      for await (const stored of live) {
        feed.position = stored.seq;
        for (const member of [...feed.members]) {
          try {
            member.onEvent(stored);
          } catch (err) {
            this.logger.error('a stream client failed on an event', { runId: feed.runId, err });
          }
        }
      }
      reason = new Error('the run event feed ended');
    } catch (err) {
      reason = err instanceof Error ? err : new Error(String(err));
    }
    if (feed.closed) return;
    this.logger.warn('run event feed stopped; its clients will reconnect', {
      runId: feed.runId,
      err: reason,
    });
    this.end(feed, reason);
  }

  /** Closes the feed and tells its members, which end their streams. */
  private end(feed: Feed, reason: Error): void {
    const members = [...feed.members];
    this.close(feed);
    for (const member of members) {
      try {
        member.onEnd(reason);
      } catch (err) {
        this.logger.error('a stream client failed to end', { runId: feed.runId, err });
      }
    }
  }

  private close(feed: Feed): void {
    if (feed.closed) return;
    feed.closed = true;
    if (this.feeds.get(feed.runId) === feed) this.feeds.delete(feed.runId);
    this.metrics.subscriptions.dec();
    const live = feed.live;
    feed.live = null;
    live?.close().catch((err: unknown) => this.logger.warn('could not close a run event feed', { err }));
  }
}
