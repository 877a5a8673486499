import { Counter, Histogram, type Registry } from 'prom-client';

/** Metrics every JetStream consumer records, named `sandcastle_<service>_…`. */
export class MessagingMetrics {
  readonly handled: Counter<'subject' | 'outcome'>;
  readonly lag: Histogram<'subject'>;
  readonly handleDuration: Histogram<'subject'>;
  readonly deadLettered: Counter<'subject'>;

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
  }
}
