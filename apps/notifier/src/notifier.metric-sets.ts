import { MessagingMetrics } from '@sandcastle/messaging';
import type { MetricSet } from '@sandcastle/observability';
import { NotifierMetrics } from './notifier.metrics';

/** Every metric the notifier registers (read by `npm run docs:metrics` for docs/metrics.md). */
export const NOTIFIER_METRIC_SETS: readonly MetricSet[] = [
  (registry) => new NotifierMetrics(registry),
  (registry, service) => new MessagingMetrics(registry, service),
];
