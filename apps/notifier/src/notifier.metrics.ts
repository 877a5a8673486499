import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the notifier does, on the process's one registry (`sandcastle_notifier_…`). */
export class NotifierMetrics {
  readonly planned: Counter<'format'>;
  /** One per attempt: delivered, retry (will try again), failed (gave up). */
  readonly attempts: Counter<'format' | 'outcome'>;
  readonly latency: Histogram<'format'>;
  readonly queueSize: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.planned = new Counter({
      name: 'sandcastle_notifier_deliveries_planned_total',
      help: 'Deliveries created for finished runs, by format (webhook, slack).',
      labelNames: ['format'],
      registers,
    });
    this.attempts = new Counter({
      name: 'sandcastle_notifier_deliveries_total',
      help: 'Delivery attempts by outcome: delivered, retry (another attempt follows), failed (given up).',
      labelNames: ['format', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'sandcastle_notifier_delivery_latency_seconds',
      help: 'Time one attempt took, from connect to the answer (or the error).',
      labelNames: ['format'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.queueSize = new Gauge({
      name: 'sandcastle_notifier_retry_queue_size',
      help: 'Deliveries waiting for their first or next attempt (all replicas).',
      registers,
    });
  }
}
