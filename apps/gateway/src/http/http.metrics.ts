import { Counter, Histogram, type Registry } from 'prom-client';

/** Request counts and latencies, labelled by the route pattern (`/runs/:id`), never the raw URL. */
export class HttpMetrics {
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'sandcastle_gateway_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'sandcastle_gateway_http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its response, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600],
      registers: [registry],
    });
  }
}
