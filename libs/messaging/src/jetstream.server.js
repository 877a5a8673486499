"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.JetStreamServer = void 0;
const microservices_1 = require("@nestjs/microservices");
const rxjs_1 = require("rxjs");
const jetstream_1 = require("@nats-io/jetstream");
const contracts_1 = require("@sandcastle/contracts");
const jetstream_context_1 = require("./jetstream.context");
const handler_outcome_1 = require("./handler-outcome");
const topology_1 = require("./topology");
/**
 * A NestJS microservice transport for JetStream durable pull consumers.
 *
 * Delivery semantics, in one place:
 * - at-least-once: a message is acked only after its handler returned (handlers commit first);
 * - a handler returns a `HandlerOutcome` (or nothing = ack); a thrown `InvalidMessageError`
 *   terminates the message (it can never succeed); any other throw is redelivered with backoff;
 * - while a handler runs, the message's ack deadline is extended with `working()` so long work
 *   (an agent step) is not redelivered to another replica;
 * - on shutdown it stops pulling, hands buffered messages back at once, waits for in-flight
 *   handlers, then aborts the stragglers through `JetStreamContext.shutdownSignal`.
 */
class JetStreamServer extends microservices_1.Server {
    constructor(options) {
        super();
        this.options = options;
        this.subscriptions = [];
        this.inFlight = new Set();
        this.shutdown = new AbortController();
        this.closing = false;
    }
    listen(callback) {
        this.start().then(() => callback(), (err) => callback(err));
    }
    async start() {
        const jsm = await (0, jetstream_1.jetstreamManager)(this.options.nc);
        for (const binding of this.options.bindings) {
            await (0, topology_1.ensureConsumer)(jsm, binding);
            const consumer = await this.options.js.consumers.get(binding.stream, binding.durable);
            const messages = await consumer.consume({ max_messages: binding.concurrency });
            this.subscriptions.push(messages);
            void this.pump(binding, messages);
            this.options.logger.info('consuming', { stream: binding.stream, consumer: binding.durable });
        }
    }
    /** Pulls messages one by one, never holding more than `concurrency` handlers at once. */
    async pump(binding, messages) {
        const running = new Set();
        for await (const msg of messages) {
            if (this.closing) {
                msg.nak();
                continue;
            }
            const task = this.handle(binding, msg).finally(() => {
                running.delete(task);
                this.inFlight.delete(task);
            });
            running.add(task);
            this.inFlight.add(task);
            if (running.size >= binding.concurrency) {
                await Promise.race(running);
            }
        }
    }
    async handle(binding, msg) {
        const { logger, metrics } = this.options;
        const pattern = binding.patternOf(msg.subject);
        const started = Date.now();
        metrics.lag.observe({ subject: pattern }, Math.max(0, started - msg.info.timestampNanos / 1_000_000) / 1000);
        const heartbeat = setInterval(() => msg.working(), Math.max(200, Math.floor(binding.ackWaitMs / 3)));
        let outcome;
        try {
            outcome = await this.invoke(pattern, msg);
        }
        catch (err) {
            if (err instanceof contracts_1.InvalidMessageError) {
                outcome = { kind: 'terminate', reason: err.message };
            }
            else {
                const delayMs = (0, handler_outcome_1.redeliveryDelayMs)(msg.info.deliveryCount);
                logger.error('handler failed; message will be redelivered', {
                    subject: msg.subject,
                    deliveryCount: msg.info.deliveryCount,
                    retryInMs: delayMs,
                    err,
                });
                metrics.handled.inc({ subject: pattern, outcome: 'error' });
                outcome = { kind: 'retry', delayMs, reason: 'handler error' };
            }
        }
        finally {
            clearInterval(heartbeat);
        }
        this.settle(msg, outcome);
        metrics.handled.inc({ subject: pattern, outcome: outcome.kind });
        metrics.handleDuration.observe({ subject: pattern }, (Date.now() - started) / 1000);
    }
    async invoke(pattern, msg) {
        const handler = this.getHandlerByPattern(pattern);
        if (!handler) {
            return { kind: 'terminate', reason: `no handler for ${pattern}` };
        }
        let payload;
        try {
            payload = msg.json();
        }
        catch {
            throw new contracts_1.InvalidMessageError(pattern, ['payload is not valid JSON']);
        }
        const context = new jetstream_context_1.JetStreamContext([msg, this.shutdown.signal]);
        const result = await (0, rxjs_1.lastValueFrom)(this.transformToObservable(await handler(payload, context)).pipe((0, rxjs_1.defaultIfEmpty)(undefined)));
        return (0, handler_outcome_1.isHandlerOutcome)(result) ? result : { kind: 'ack' };
    }
    /** The only place that acks, naks or terminates. */
    settle(msg, outcome) {
        switch (outcome.kind) {
            case 'ack':
                msg.ack();
                return;
            case 'retry':
                msg.nak(outcome.delayMs);
                return;
            case 'terminate':
                this.options.logger.warn('message terminated', { subject: msg.subject, reason: outcome.reason });
                // No reason on the wire: NATS 2.9 does not understand `+TERM <reason>` and redelivers.
                msg.term();
                return;
        }
    }
    async close() {
        if (this.closing)
            return;
        this.closing = true;
        await Promise.all(this.subscriptions.map((s) => s.close()));
        const drained = Promise.all([...this.inFlight]).then(() => true);
        const timeout = new Promise((resolve) => setTimeout(() => resolve(false), this.options.drainTimeoutMs ?? 10_000).unref());
        if (!(await Promise.race([drained, timeout]))) {
            this.options.logger.warn('drain timeout: aborting in-flight handlers', {
                inFlight: this.inFlight.size,
            });
            this.shutdown.abort(new Error('shutting down'));
            await Promise.race([drained, new Promise((r) => setTimeout(r, 5_000).unref())]);
        }
    }
    on() {
        throw new Error('JetStreamServer does not support event listeners');
    }
    unwrap() {
        return this.options.nc;
    }
}
exports.JetStreamServer = JetStreamServer;
//# sourceMappingURL=jetstream.server.js.map