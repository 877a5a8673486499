/** Nest injection token for the service's `Logger`. */
export declare const LOGGER = "LOGGER";
/** Nest injection token for the service's prom-client `Registry`. */
export declare const METRICS_REGISTRY = "METRICS_REGISTRY";
/** Nest injection token for the service name given to `ObservabilityModule.forRoot`. */
export declare const SERVICE_NAME = "SERVICE_NAME";
