"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
var MessagingModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.MessagingModule = exports.NATS_NAMES = exports.JETSTREAM = exports.NATS_CONNECTION = void 0;
exports.connectNats = connectNats;
exports.startJetStreamConsumers = startJetStreamConsumers;
exports.createJetStreamServer = createJetStreamServer;
exports.stripNamespace = stripNamespace;
const common_1 = require("@nestjs/common");
const transport_node_1 = require("@nats-io/transport-node");
const jetstream_1 = require("@nats-io/jetstream");
const contracts_1 = require("@sandcastle/contracts");
const observability_1 = require("@sandcastle/observability");
const jetstream_publisher_1 = require("./jetstream-publisher");
const jetstream_server_1 = require("./jetstream.server");
const messaging_metrics_1 = require("./messaging.metrics");
const topology_1 = require("./topology");
exports.NATS_CONNECTION = Symbol('NATS_CONNECTION');
exports.JETSTREAM = Symbol('JETSTREAM');
exports.NATS_NAMES = Symbol('NATS_NAMES');
const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
/** Connects and keeps reconnecting forever: a broker restart must not take a service down. */
async function connectNats(url, name, logger) {
    const nc = await (0, transport_node_1.connect)({
        servers: url,
        name,
        waitOnFirstConnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
    });
    logger.info('connected to NATS', { url, server: nc.getServer() });
    void (async () => {
        for await (const status of nc.status()) {
            if (status.type === 'disconnect' || status.type === 'reconnect') {
                logger.warn(`NATS ${status.type}`, { server: 'server' in status ? status.server : undefined });
            }
        }
    })();
    return nc;
}
let NatsLifecycle = class NatsLifecycle {
    constructor(nc, names, options, logger, health) {
        this.nc = nc;
        this.names = names;
        this.options = options;
        this.logger = logger;
        this.health = health;
    }
    async onModuleInit() {
        await (0, topology_1.ensureStreams)(await (0, jetstream_1.jetstreamManager)(this.nc), this.names, this.options.topology ?? topology_1.DEFAULT_TOPOLOGY);
        this.health.register('nats', async () => {
            if (this.nc.isClosed())
                return false;
            await this.nc.rtt();
            return true;
        }, { critical: true });
    }
    async onApplicationShutdown() {
        if (this.nc.isClosed())
            return;
        // Drain: flush what we published, let subscriptions finish, then close.
        await this.nc.drain().catch((err) => this.logger.warn('NATS drain failed', { err }));
    }
};
NatsLifecycle = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(exports.NATS_CONNECTION)),
    __param(1, (0, common_1.Inject)(exports.NATS_NAMES)),
    __param(2, (0, common_1.Inject)(MESSAGING_OPTIONS)),
    __param(3, (0, common_1.Inject)(observability_1.LOGGER)),
    __metadata("design:paramtypes", [Object, Object, Object, Object, observability_1.HealthRegistry])
], NatsLifecycle);
/**
 * Global module: the NATS connection, JetStream client, stream names for the configured
 * namespace, the publisher and messaging metrics. Streams are declared at boot by every
 * service (idempotent), so any service may start first.
 */
let MessagingModule = MessagingModule_1 = class MessagingModule {
    static forRoot(options) {
        return {
            module: MessagingModule_1,
            global: true,
            providers: [
                { provide: MESSAGING_OPTIONS, useValue: options },
                {
                    provide: exports.NATS_CONNECTION,
                    useFactory: (logger) => connectNats(options.url, options.service, logger),
                    inject: [observability_1.LOGGER],
                },
                { provide: exports.JETSTREAM, useFactory: (nc) => (0, jetstream_1.jetstream)(nc), inject: [exports.NATS_CONNECTION] },
                { provide: exports.NATS_NAMES, useValue: (0, contracts_1.natsNames)(options.namespace) },
                {
                    provide: jetstream_publisher_1.JetStreamPublisher,
                    useFactory: (nc, js) => new jetstream_publisher_1.JetStreamPublisher(nc, js),
                    inject: [exports.NATS_CONNECTION, exports.JETSTREAM],
                },
                {
                    provide: messaging_metrics_1.MessagingMetrics,
                    useFactory: (registry) => new messaging_metrics_1.MessagingMetrics(registry, options.service),
                    inject: [observability_1.METRICS_REGISTRY],
                },
                NatsLifecycle,
            ],
            exports: [exports.NATS_CONNECTION, exports.JETSTREAM, exports.NATS_NAMES, jetstream_publisher_1.JetStreamPublisher, messaging_metrics_1.MessagingMetrics],
        };
    }
};
exports.MessagingModule = MessagingModule;
exports.MessagingModule = MessagingModule = MessagingModule_1 = __decorate([
    (0, common_1.Module)({})
], MessagingModule);
/**
 * Attaches the JetStream consumers to an initialised app and starts them. Call it after
 * `app.init()`, so the streams exist and the database is connected before messages arrive.
 * Handler classes are marked `@JetStreamHandlers()` so their errors reach the transport.
 */
async function startJetStreamConsumers(app, bindings, drainTimeoutMs) {
    app.connectMicroservice({ strategy: createJetStreamServer(app, bindings, drainTimeoutMs) });
    await app.startAllMicroservices();
}
/** Builds the JetStream transport for `app.connectMicroservice({ strategy })`. */
function createJetStreamServer(app, bindings, drainTimeoutMs) {
    return new jetstream_server_1.JetStreamServer({
        nc: app.get(exports.NATS_CONNECTION),
        js: app.get(exports.JETSTREAM),
        bindings,
        logger: app.get(observability_1.LOGGER),
        metrics: app.get(messaging_metrics_1.MessagingMetrics),
        drainTimeoutMs,
    });
}
/** Handler patterns are subjects without the namespace: `sc.step.result` → `step.result`. */
function stripNamespace(names) {
    const prefix = `${names.namespace}.`;
    return (subject) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : subject);
}
//# sourceMappingURL=messaging.module.js.map