"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.JetStreamPublisher = void 0;
const encoder = new TextEncoder();
/**
 * Publishes to JetStream with message ids and waits for the stream's acknowledgement, so a
 * caller knows the message is stored before it acks its own input.
 */
class JetStreamPublisher {
    constructor(nc, js) {
        this.nc = nc;
        this.js = js;
    }
    async publish(message) {
        const body = typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload);
        return this.js.publish(message.subject, encoder.encode(body), { msgID: message.msgId, timeout: 10_000 });
    }
    /** Publishes several messages concurrently; resolves when the stream stored all of them. */
    async publishAll(messages) {
        return Promise.all(messages.map((m) => this.publish(m)));
    }
    /** Core NATS, fire and forget: for signals that only matter to whoever listens right now. */
    signal(subject, payload) {
        this.nc.publish(subject, encoder.encode(JSON.stringify(payload)));
    }
}
exports.JetStreamPublisher = JetStreamPublisher;
//# sourceMappingURL=jetstream-publisher.js.map