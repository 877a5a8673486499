import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const REPO = path.resolve(__dirname, '..', '..', '..');

export const APPS = ['gateway', 'orchestrator', 'executor', 'scheduler', 'notifier'] as const;
export type App = (typeof APPS)[number];

/** Default port of each app (the launcher's layout, also used by compose and k8s). */
export const APP_PORTS: Record<App, number> = {
  gateway: 8080,
  orchestrator: 8081,
  executor: 8082,
  scheduler: 8083,
  notifier: 8084,
};

/** Apps that read DATABASE_URL: all but the executor. */
export const DB_APPS: readonly App[] = APPS.filter((app) => app !== 'executor');

/**
 * A parsed YAML/JSON document, walked freely by the assertions. Typing every compose and
 * Kubernetes field would restate their schemas; a wrong path fails the expectation instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = any;

export function readRepoFile(relative: string): string {
  return fs.readFileSync(path.join(REPO, relative), 'utf8');
}

export function repoFileExists(relative: string): boolean {
  return fs.existsSync(path.join(REPO, relative));
}

/** One YAML document; merge keys (`<<: *anchor`) resolved as Docker Compose does. */
export function readYaml(relative: string): Doc {
  return parse(readRepoFile(relative), { merge: true });
}

/** Every document of a multi-document YAML file, failing on any parse error. */
export function readYamlDocuments(relative: string): Doc[] {
  return parseAllDocuments(readRepoFile(relative), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${relative}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS();
  });
}

/**
 * Metric names the apps export (the contract in docs/operations.md § Monitoring), plus the
 * prom-client default metrics that every app exports with its `sandcastle_<app>_` prefix.
 */
const FIXED_METRICS = [
  'sandcastle_gateway_http_requests_total',
  'sandcastle_gateway_http_request_duration_seconds',
  'sandcastle_orchestrator_runs_started_total',
  'sandcastle_orchestrator_runs_finished_total',
  'sandcastle_orchestrator_steps_finished_total',
  'sandcastle_orchestrator_run_duration_seconds',
  'sandcastle_orchestrator_reconciler_lost_attempts_total',
  'sandcastle_orchestrator_reconciler_failures_total',
  'sandcastle_orchestrator_outbox_failed_total',
  'sandcastle_orchestrator_outbox_set_aside_rows',
  'sandcastle_orchestrator_outbox_publish_failures_total',
  'sandcastle_orchestrator_attempts_waiting_for_capacity_total',
  'sandcastle_orchestrator_late_results_total',
  'sandcastle_executor_attempts_total',
  'sandcastle_executor_attempt_duration_seconds',
  'sandcastle_executor_in_flight',
  'sandcastle_executor_cost_usd_total',
  'sandcastle_executor_dispatches_refused_total',
  'sandcastle_executor_model_tries_total',
  'sandcastle_scheduler_schedules_fired_total',
  'sandcastle_scheduler_fires_skipped_total',
  'sandcastle_scheduler_schedules_disabled_total',
  'sandcastle_scheduler_fire_delay_seconds',
  'sandcastle_scheduler_tick_duration_seconds',
  'sandcastle_scheduler_tick_errors_total',
  'sandcastle_scheduler_last_tick_timestamp_seconds',
  'sandcastle_notifier_deliveries_planned_total',
  'sandcastle_notifier_deliveries_total',
  'sandcastle_notifier_delivery_latency_seconds',
  'sandcastle_notifier_retry_queue_size',
];
const PER_APP_METRICS = [
  'message_lag_seconds',
  'messages_handled_total',
  'messages_dead_lettered_total',
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_seconds',
  'nodejs_heap_size_used_bytes',
];
export const KNOWN_METRICS: ReadonlySet<string> = new Set([
  ...FIXED_METRICS,
  ...APPS.flatMap((app) => PER_APP_METRICS.map((metric) => `sandcastle_${app}_${metric}`)),
]);

/** Metric names in a PromQL expression, with histogram suffixes mapped to the histogram's name. */
export function metricsIn(expr: string): string[] {
  const names = expr.match(/\bsandcastle_[a-z0-9_]+/g) ?? [];
  return names.map((name) => name.replace(/_(bucket|sum|count)$/, ''));
}
