import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** One durable consumer's backlog as the broker reports it. */
export interface ConsumerBacklog {
  stream: string;
  consumer: string;
  /** Messages in the stream the consumer has not handed out yet. */
  pending: number;
  /** Messages handed out and not acknowledged yet (being handled, or waiting for redelivery). */
  ackPending: number;
}

/** How long a scrape waits for the broker before it reports the last known backlog. */
const BACKLOG_TIMEOUT_MS = 2_000;

/** Metrics every JetStream consumer records, named `sandcastle_<service>_…`. */
export class MessagingMetrics {
  readonly handled: Counter<'subject' | 'outcome'>;
  readonly lag: Histogram<'subject'>;
  readonly handleDuration: Histogram<'subject'>;
  readonly deadLettered: Counter<'subject'>;
  readonly consumerPending: Gauge<'stream' | 'consumer'>;
  readonly consumerAckPending: Gauge<'stream' | 'consumer'>;
  private readonly backlogSources = new Set<() => Promise<ConsumerBacklog[]>>();

  constructor(registry: Registry, service: string) {
    const prefix = `sandcastle_${service}_`;
    this.handled = new Counter({
      name: `${prefix}messages_handled_total`,
      help: 'JetStream messages handled, by subject pattern and outcome (ack, retry, terminate, error, dead_letter).',
      labelNames: ['subject', 'outcome'],
      registers: [registry],
    });
    this.lag = new Histogram({
      name: `${prefix}message_lag_seconds`,
      help: 'Time from a message being stored in its stream to its handler starting.',
      labelNames: ['subject'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    this.handleDuration = new Histogram({
      name: `${prefix}message_handle_duration_seconds`,
      help: 'Time a handler took, from start to ack/nak.',
      labelNames: ['subject'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: `${prefix}messages_dead_lettered_total`,
      help: 'Messages given up on after MESSAGE_MAX_DELIVERIES deliveries, stored in <NS>_DEAD_LETTERS and terminated.',
      labelNames: ['subject'],
      registers: [registry],
    });
    // Read from the broker at scrape time (one consumer-info call per consumer), so every
    // replica reports the same shared backlog; dashboards take max() over replicas. A scrape
    // collects all metrics concurrently: both gauges wait for the same read.
    const refresh = () => this.refreshOnce();
    this.consumerPending = new Gauge({
      name: `${prefix}consumer_pending_messages`,
      help: 'Messages waiting in a stream for this service’s durable consumer (the consumer’s lag), read from the broker at scrape time.',
      labelNames: ['stream', 'consumer'],
      registers: [registry],
      collect: refresh,
    });
    this.consumerAckPending = new Gauge({
      name: `${prefix}consumer_ack_pending_messages`,
      help: 'Messages handed to this service’s durable consumer and not acknowledged yet, read from the broker at scrape time.',
      labelNames: ['stream', 'consumer'],
      registers: [registry],
      collect: refresh,
    });
  }

  private refreshing: Promise<void> | null = null;

  /** One broker read for both gauges of a scrape (the second caller joins the first's). */
  private refreshOnce(): Promise<void> {
    this.refreshing ??= this.refreshBacklog().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Reports the backlog of the consumers `source` reads; returns the function that stops it. */
  watchBacklog(source: () => Promise<ConsumerBacklog[]>): () => void {
    this.backlogSources.add(source);
    return () => this.backlogSources.delete(source);
  }

  /** Asks every source (bounded in time); a source that fails or is slow keeps its last values. */
  private async refreshBacklog(): Promise<void> {
    await Promise.all(
      [...this.backlogSources].map(async (source) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), BACKLOG_TIMEOUT_MS);
        });
        try {
          const backlog = await Promise.race([source(), timeout]);
          for (const item of backlog ?? []) {
            const labels = { stream: item.stream, consumer: item.consumer };
            this.consumerPending.set(labels, item.pending);
            this.consumerAckPending.set(labels, item.ackPending);
          }
        } catch {
          // The broker is away: the scrape must still answer; the last values stay.
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}
