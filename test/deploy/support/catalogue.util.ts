import { catalogueService, type MetricSet, type ServiceCatalogue } from '@sandcastle/observability';
import { EXECUTOR_METRIC_SETS } from '../../../apps/executor/src/executor.metric-sets';
import { GATEWAY_METRIC_SETS } from '../../../apps/gateway/src/gateway.metric-sets';
import { NOTIFIER_METRIC_SETS } from '../../../apps/notifier/src/notifier.metric-sets';
import { ORCHESTRATOR_METRIC_SETS } from '../../../apps/orchestrator/src/orchestrator.metric-sets';
import { SCHEDULER_METRIC_SETS } from '../../../apps/scheduler/src/scheduler.metric-sets';
import { APPS, type App } from './deploy-files.util';

const SETS: Record<App, readonly MetricSet[]> = {
  gateway: GATEWAY_METRIC_SETS,
  orchestrator: ORCHESTRATOR_METRIC_SETS,
  executor: EXECUTOR_METRIC_SETS,
  scheduler: SCHEDULER_METRIC_SETS,
  notifier: NOTIFIER_METRIC_SETS,
};

/** What each service registers, read from the code (the source of docs/metrics.md). */
export const CATALOGUES: readonly ServiceCatalogue[] = APPS.map((app) => catalogueService(app, SETS[app]));

/** Every metric family name the five services register, process metrics included. */
export const REGISTERED_METRICS: ReadonlySet<string> = new Set(
  CATALOGUES.flatMap((c) => [...c.metrics, ...c.processMetrics].map((m) => m.name)),
);
