import { MessagingMetrics } from '@sandcastle/messaging';
import { metricPrefix, type MetricSet } from '@sandcastle/observability';
import { StorageMetrics } from '@sandcastle/storage';
import { HttpMetrics } from './http/http.metrics';
import { StreamMetrics } from './stream/stream.metrics';

/** Every metric the gateway registers (read by `npm run docs:metrics` for docs/metrics.md). */
export const GATEWAY_METRIC_SETS: readonly MetricSet[] = [
  (registry) => new HttpMetrics(registry),
  (registry) => new StreamMetrics(registry),
  (registry, service) => new MessagingMetrics(registry, service),
  (registry, service) => new StorageMetrics(registry, metricPrefix(service)),
];
