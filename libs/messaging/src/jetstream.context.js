"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.JetStreamContext = void 0;
const microservices_1 = require("@nestjs/microservices");
/**
 * What a JetStream handler may know about its message besides the payload. Handlers read it
 * with `@Ctx() ctx: JetStreamContext`.
 */
class JetStreamContext extends microservices_1.BaseRpcContext {
    get subject() {
        return this.args[0].subject;
    }
    /** 1 on first delivery; higher after a crash or a retry. */
    get deliveryCount() {
        return this.args[0].info.deliveryCount;
    }
    /** When the stream stored the message. */
    get publishedAt() {
        return new Date(Math.floor(this.args[0].info.timestampNanos / 1_000_000));
    }
    /**
     * Aborted when the process is shutting down and the drain period is over: a long handler
     * should stop and return `Outcome.retryAfter(0, …)` so another replica picks the message up.
     */
    get shutdownSignal() {
        return this.args[1];
    }
}
exports.JetStreamContext = JetStreamContext;
//# sourceMappingURL=jetstream.context.js.map