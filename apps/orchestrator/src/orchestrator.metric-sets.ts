import { MessagingMetrics } from '@sandcastle/messaging';
import type { MetricSet } from '@sandcastle/observability';
import { OrchestratorMetrics } from './engine/orchestrator.metrics';

/** Every metric the orchestrator registers (read by `npm run docs:metrics` for docs/metrics.md). */
export const ORCHESTRATOR_METRIC_SETS: readonly MetricSet[] = [
  (registry) => new OrchestratorMetrics(registry),
  (registry, service) => new MessagingMetrics(registry, service),
];
