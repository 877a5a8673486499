import { Inject, Injectable } from '@nestjs/common';
import {
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NatsNames } from '@sandcastle/contracts';
import { JETSTREAM, NATS_CONNECTION, NATS_NAMES } from '@sandcastle/messaging';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { decodeRunEvent, type StoredRunEvent } from './stored-run-event';

/** Ephemeral consumers the server removes on its own if the gateway dies without deleting them. */
const CONSUMER_INACTIVE_THRESHOLD_MS = 60_000;

/** Sequence numbers of the EVENTS stream: `first` is 1 + the last one expired or purged. */
export interface StreamBounds {
  first: number;
  last: number;
}

/** A live feed of one run's events, in stream order, from a given sequence on. */
export interface LiveRunEvents extends AsyncIterable<StoredRunEvent> {
  close(): Promise<void>;
}

/**
 * Reads run events from the EVENTS stream (`<NS>_EVENTS`, subjects `<ns>.evt.run.<runId>.<type>`).
 * All reads use ordered consumers: ephemeral, in-memory, unacknowledged consumers that the
 * client recreates from the last sequence it saw if it misses one, so a feed has neither gaps
 * nor duplicates. Messages that are not valid RunEvents are logged and skipped.
 */
@Injectable()
export class RunEventsRepository {
  private manager: Promise<JetStreamManager> | undefined;
  private readonly logger: Logger;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'run-events' });
  }

  /** The sequence of the newest stored event of the run, or 0 when it has none. */
  async lastSequence(runId: string): Promise<number> {
    const jsm = await this.jsm();
    const last = await jsm.streams.getMessage(this.names.streams.events, {
      last_by_subj: this.names.runEvents(runId),
    });
    return last?.seq ?? 0;
  }

  async streamBounds(): Promise<StreamBounds> {
    const jsm = await this.jsm();
    const { state } = await jsm.streams.info(this.names.streams.events);
    return { first: state.first_seq, last: state.last_seq };
  }

  /**
   * The run's stored events with `afterSeq < seq <= upToSeq`, in order. Stops early when
   * `signal` aborts. Events after `upToSeq` are not read (a live feed delivers those).
   */
  async *readStored(
    runId: string,
    afterSeq: number,
    upToSeq: number,
    signal: AbortSignal,
  ): AsyncGenerator<StoredRunEvent> {
    if (upToSeq <= afterSeq || signal.aborted) return;
    const consumer = await this.js.consumers.get(this.names.streams.events, {
      filter_subjects: this.names.runEvents(runId),
      opt_start_seq: afterSeq + 1,
      inactive_threshold: CONSUMER_INACTIVE_THRESHOLD_MS,
    });
    // Known at creation: with nothing pending, consuming would wait for a message forever.
    const pendingAtStart = (await consumer.info(true)).num_pending;
    let messages: ConsumerMessages | undefined;
    const stop = (): void => void messages?.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      if (pendingAtStart === 0 || signal.aborted) return;
      messages = await consumer.consume({ max_messages: 256 });
      for await (const message of messages) {
        if (message.seq > upToSeq) break;
        const stored = this.decode(message);
        if (stored) yield stored;
        if (message.seq === upToSeq || message.info.pending === 0) break;
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await messages?.close();
      await this.deleteConsumer(consumer);
    }
  }

  /** Every event of the run with `seq >= startSeq`, as it is stored, until closed. */
  async follow(runId: string, startSeq: number): Promise<LiveRunEvents> {
    const consumer = await this.js.consumers.get(this.names.streams.events, {
      filter_subjects: this.names.runEvents(runId),
      opt_start_seq: startSeq,
      inactive_threshold: CONSUMER_INACTIVE_THRESHOLD_MS,
    });
    const messages = await consumer.consume({ max_messages: 256 });
    const decode = (message: JsMsg): StoredRunEvent | null => this.decode(message);
    return {
      async *[Symbol.asyncIterator]() {
        for await (const message of messages) {
          const stored = decode(message);
          if (stored) yield stored;
        }
      },
      close: async () => {
        await messages.close();
        await this.deleteConsumer(consumer);
      },
    };
  }

  private decode(message: JsMsg): StoredRunEvent | null {
    try {
      return decodeRunEvent(message);
    } catch (err) {
      this.logger.warn('skipped an invalid run event', { subject: message.subject, seq: message.seq, err });
      return null;
    }
  }

  /** Frees the server-side consumer now instead of after the inactivity threshold. */
  private async deleteConsumer(consumer: { delete(): Promise<boolean> }): Promise<void> {
    if (this.nc.isClosed()) return;
    await consumer.delete().catch((err: unknown) => {
      this.logger.debug('could not delete an ordered consumer', { err });
    });
  }

  private async jsm(): Promise<JetStreamManager> {
    // A failed attempt is not cached: the next stream asks again (e.g. after NATS came back).
    this.manager ??= jetstreamManager(this.nc).catch((err: unknown) => {
      this.manager = undefined;
      throw err;
    });
    return this.manager;
  }
}
