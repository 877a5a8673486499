import { MessagingMetrics } from '@sandcastle/messaging';
import { metricPrefix, type MetricSet } from '@sandcastle/observability';
import { StorageMetrics } from '@sandcastle/storage';
import { OrchestratorMetrics } from './engine/orchestrator.metrics';
import { RetentionMetrics } from './retention/retention.metrics';

/** Every metric the orchestrator registers (read by `npm run docs:metrics` for docs/metrics.md). */
export const ORCHESTRATOR_METRIC_SETS: readonly MetricSet[] = [
  (registry) => new OrchestratorMetrics(registry),
  (registry, service) => new MessagingMetrics(registry, service),
  (registry, service) => new StorageMetrics(registry, metricPrefix(service)),
  (registry) => new RetentionMetrics(registry),
];
