/** Nest injection token for the service's `Logger`. */
export const LOGGER = 'LOGGER';
/** Nest injection token for the service's prom-client `Registry`. */
export const METRICS_REGISTRY = 'METRICS_REGISTRY';
/** Nest injection token for the service name given to `ObservabilityModule.forRoot`. */
export const SERVICE_NAME = 'SERVICE_NAME';
