import { collectDefaultMetrics, Registry } from 'prom-client';

/** `sandcastle_<service>_`, with characters Prometheus refuses in names turned into `_`. */
export function metricPrefix(service: string): string {
  return `sandcastle_${service.replace(/[^a-zA-Z0-9_]/g, '_')}_`;
}

/**
 * The process's one prom-client registry: Node/process default metrics named
 * `sandcastle_<service>_…`, and every series labelled `{service}` so dashboards can aggregate
 * several services. Metric classes of each subsystem register into it (see STYLE.md).
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: metricPrefix(service) });
  return registry;
}
