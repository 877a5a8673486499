"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_TOPOLOGY = exports.msToNanos = void 0;
exports.streamConfigs = streamConfigs;
exports.ensureStreams = ensureStreams;
exports.ensureConsumer = ensureConsumer;
const jetstream_1 = require("@nats-io/jetstream");
const NS_PER_MS = 1_000_000;
function isNotFound(err) {
    // The API answers 404 for a missing stream or consumer (error codes 10059 / 10014).
    return err instanceof jetstream_1.JetStreamApiError && err.status === 404;
}
const msToNanos = (ms) => ms * NS_PER_MS;
exports.msToNanos = msToNanos;
exports.DEFAULT_TOPOLOGY = {
    duplicateWindowMs: 10 * 60_000,
    eventsMaxAgeMs: 24 * 60 * 60_000,
};
/** The four streams of DESIGN.md. Work queues delete a message once a consumer acks it. */
function streamConfigs(names, opts = exports.DEFAULT_TOPOLOGY) {
    const common = {
        storage: jetstream_1.StorageType.File,
        duplicate_window: (0, exports.msToNanos)(opts.duplicateWindowMs),
        num_replicas: 1,
    };
    return [
        {
            ...common,
            name: names.streams.commands,
            subjects: [`${names.namespace}.cmd.>`],
            retention: jetstream_1.RetentionPolicy.Workqueue,
        },
        {
            ...common,
            name: names.streams.steps,
            subjects: [names.subjects.stepDispatch],
            retention: jetstream_1.RetentionPolicy.Workqueue,
        },
        {
            ...common,
            name: names.streams.results,
            subjects: [names.subjects.stepResult, names.subjects.stepStarted],
            retention: jetstream_1.RetentionPolicy.Workqueue,
        },
        {
            ...common,
            name: names.streams.events,
            subjects: [names.subjects.runEventsAll],
            retention: jetstream_1.RetentionPolicy.Limits,
            max_age: (0, exports.msToNanos)(opts.eventsMaxAgeMs),
            duplicate_window: (0, exports.msToNanos)(Math.min(opts.duplicateWindowMs, opts.eventsMaxAgeMs)),
        },
    ];
}
/** Creates the streams, or updates them in place when they exist. Safe to run from every replica. */
async function ensureStreams(jsm, names, opts = exports.DEFAULT_TOPOLOGY) {
    for (const config of streamConfigs(names, opts)) {
        try {
            await jsm.streams.info(config.name);
            await jsm.streams.update(config.name, config);
        }
        catch (err) {
            if (isNotFound(err)) {
                try {
                    await jsm.streams.add(config);
                }
                catch (addErr) {
                    // Another replica created it between our info and add: that is fine.
                    if (!(addErr instanceof jetstream_1.JetStreamApiError && /already in use/i.test(addErr.message)))
                        throw addErr;
                }
            }
            else {
                throw err;
            }
        }
    }
}
async function ensureConsumer(jsm, spec) {
    const config = {
        durable_name: spec.durable,
        ack_policy: jetstream_1.AckPolicy.Explicit,
        deliver_policy: jetstream_1.DeliverPolicy.All,
        ack_wait: (0, exports.msToNanos)(spec.ackWaitMs),
        max_ack_pending: spec.maxAckPending,
        // Unlimited: a handler that cannot finish asks for a delayed retry; invalid messages are terminated.
        max_deliver: -1,
        ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
    };
    try {
        await jsm.consumers.info(spec.stream, spec.durable);
        await jsm.consumers.update(spec.stream, spec.durable, config);
    }
    catch (err) {
        if (isNotFound(err)) {
            await jsm.consumers.add(spec.stream, config);
        }
        else {
            throw err;
        }
    }
}
//# sourceMappingURL=topology.js.map