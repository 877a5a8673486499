import { MessagingMetrics } from '@sandcastle/messaging';
import type { MetricSet } from '@sandcastle/observability';
import { ExecutorMetrics } from './steps/executor.metrics';

/** Every metric the executor registers (read by `npm run docs:metrics` for docs/metrics.md). */
export const EXECUTOR_METRIC_SETS: readonly MetricSet[] = [
  (registry) => new ExecutorMetrics(registry),
  (registry, service) => new MessagingMetrics(registry, service),
];
