import { Gauge, type Registry } from 'prom-client';

/** Open SSE connections and the shared JetStream feeds behind them. */
export class StreamMetrics {
  readonly clients: Gauge;
  readonly subscriptions: Gauge;

  constructor(registry: Registry) {
    this.clients = new Gauge({
      name: 'sandcastle_gateway_sse_clients',
      help: 'Open Server-Sent Events connections (GET /runs/{id}/stream).',
      registers: [registry],
    });
    this.subscriptions = new Gauge({
      name: 'sandcastle_gateway_sse_subscriptions',
      help: 'Run event feeds this gateway holds; each is shared by every client of that run.',
      registers: [registry],
    });
  }
}
