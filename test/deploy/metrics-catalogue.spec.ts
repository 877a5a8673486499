import { renderMetricsCatalogue } from '@sandcastle/observability';
import { CATALOGUES as catalogues } from './support/catalogue.util';
import { readRepoFile } from './support/deploy-files.util';

describe('docs/metrics.md', () => {
  it('is what `npm run docs:metrics` generates from the code (run it after changing a metric)', () => {
    expect(readRepoFile('docs/metrics.md')).toBe(renderMetricsCatalogue(catalogues));
  });

  it('lists the metrics an operator needs (issue 13 § 3)', () => {
    const names = new Set(catalogues.flatMap((c) => c.metrics.map((m) => m.name)));
    for (const name of [
      'sandcastle_orchestrator_workflow_runs_finished_total', // runs by status and workflow
      'sandcastle_orchestrator_steps_finished_total',
      'sandcastle_executor_attempts_total',
      'sandcastle_executor_attempt_duration_seconds', // step duration (per attempt)
      'sandcastle_executor_message_lag_seconds', // dispatch latency
      'sandcastle_executor_cost_usd_total',
      'sandcastle_orchestrator_workflow_cost_usd_total',
      'sandcastle_orchestrator_budget_stops_total',
      'sandcastle_orchestrator_step_retries_total',
      'sandcastle_executor_consumer_pending_messages', // consumer lag per stream
      'sandcastle_orchestrator_outbox_pending_rows',
      'sandcastle_orchestrator_outbox_oldest_pending_age_seconds',
      'sandcastle_orchestrator_messages_dead_lettered_total',
      'sandcastle_scheduler_schedules_fired_total',
      'sandcastle_notifier_deliveries_total',
      'sandcastle_gateway_http_requests_total',
    ])
      expect({ name, listed: names.has(name) }).toEqual({ name, listed: true });
  });

  it('never labels a series by an unbounded id', () => {
    for (const catalogue of catalogues)
      for (const metric of [...catalogue.metrics, ...catalogue.processMetrics])
        for (const label of metric.labels)
          expect({
            metric: metric.name,
            label,
            bounded: !/(^|_)(id|run|step|tenant|url|path|key)$/i.test(label),
          }).toEqual({
            metric: metric.name,
            label,
            bounded: true,
          });
  });
});
