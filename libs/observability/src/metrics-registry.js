"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.metricPrefix = metricPrefix;
exports.createMetricsRegistry = createMetricsRegistry;
const prom_client_1 = require("prom-client");
/** `sandcastle_<service>_`, with characters Prometheus refuses in names turned into `_`. */
function metricPrefix(service) {
    return `sandcastle_${service.replace(/[^a-zA-Z0-9_]/g, '_')}_`;
}
/**
 * The process's one prom-client registry: Node/process default metrics named
 * `sandcastle_<service>_…`, and every series labelled `{service}` so dashboards can aggregate
 * several services. Metric classes of each subsystem register into it (see STYLE.md).
 */
function createMetricsRegistry(service) {
    const registry = new prom_client_1.Registry();
    registry.setDefaultLabels({ service });
    (0, prom_client_1.collectDefaultMetrics)({ register: registry, prefix: metricPrefix(service) });
    return registry;
}
//# sourceMappingURL=metrics-registry.js.map