"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MessagingMetrics = void 0;
const prom_client_1 = require("prom-client");
/** Metrics every JetStream consumer records, named `sandcastle_<service>_…`. */
class MessagingMetrics {
    constructor(registry, service) {
        const prefix = `sandcastle_${service}_`;
        this.handled = new prom_client_1.Counter({
            name: `${prefix}messages_handled_total`,
            help: 'JetStream messages handled, by subject pattern and outcome (ack, retry, terminate, error).',
            labelNames: ['subject', 'outcome'],
            registers: [registry],
        });
        this.lag = new prom_client_1.Histogram({
            name: `${prefix}message_lag_seconds`,
            help: 'Time from a message being stored in its stream to its handler starting.',
            labelNames: ['subject'],
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
            registers: [registry],
        });
        this.handleDuration = new prom_client_1.Histogram({
            name: `${prefix}message_handle_duration_seconds`,
            help: 'Time a handler took, from start to ack/nak.',
            labelNames: ['subject'],
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120, 600],
            registers: [registry],
        });
    }
}
exports.MessagingMetrics = MessagingMetrics;
//# sourceMappingURL=messaging.metrics.js.map