import { MessagingMetrics } from '@sandcastle/messaging';
import type { MetricSet } from '@sandcastle/observability';
import { SchedulerMetrics } from './firing/scheduler.metrics';

/** Every metric the scheduler registers (read by `npm run docs:metrics` for docs/metrics.md). */
export const SCHEDULER_METRIC_SETS: readonly MetricSet[] = [
  (registry) => new SchedulerMetrics(registry),
  (registry, service) => new MessagingMetrics(registry, service),
];
