"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SERVICE_NAME = exports.METRICS_REGISTRY = exports.LOGGER = void 0;
/** Nest injection token for the service's `Logger`. */
exports.LOGGER = 'LOGGER';
/** Nest injection token for the service's prom-client `Registry`. */
exports.METRICS_REGISTRY = 'METRICS_REGISTRY';
/** Nest injection token for the service name given to `ObservabilityModule.forRoot`. */
exports.SERVICE_NAME = 'SERVICE_NAME';
//# sourceMappingURL=tokens.js.map