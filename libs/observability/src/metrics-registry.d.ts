import { Registry } from 'prom-client';
/** `sandcastle_<service>_`, with characters Prometheus refuses in names turned into `_`. */
export declare function metricPrefix(service: string): string;
/**
 * The process's one prom-client registry: Node/process default metrics named
 * `sandcastle_<service>_…`, and every series labelled `{service}` so dashboards can aggregate
 * several services. Metric classes of each subsystem register into it (see STYLE.md).
 */
export declare function createMetricsRegistry(service: string): Registry;
