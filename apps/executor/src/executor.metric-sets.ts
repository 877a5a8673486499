import { MessagingMetrics } from '@sandcastle/messaging';
import { metricPrefix, type MetricSet } from '@sandcastle/observability';
import { StorageMetrics } from '@sandcastle/storage';
import { ExecutorMetrics } from './steps/executor.metrics';

/** Every metric the executor registers (read by `npm run docs:metrics` for docs/metrics.md). */
export const EXECUTOR_METRIC_SETS: readonly MetricSet[] = [
  (registry) => new ExecutorMetrics(registry),
  (registry, service) => new MessagingMetrics(registry, service),
  (registry, service) => new StorageMetrics(registry, metricPrefix(service)),
];
