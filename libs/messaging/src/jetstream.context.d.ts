import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
/**
 * What a JetStream handler may know about its message besides the payload. Handlers read it
 * with `@Ctx() ctx: JetStreamContext`.
 */
export declare class JetStreamContext extends BaseRpcContext<[JsMsg, AbortSignal]> {
    get subject(): string;
    /** 1 on first delivery; higher after a crash or a retry. */
    get deliveryCount(): number;
    /** When the stream stored the message. */
    get publishedAt(): Date;
    /**
     * Aborted when the process is shutting down and the drain period is over: a long handler
     * should stop and return `Outcome.retryAfter(0, …)` so another replica picks the message up.
     */
    get shutdownSignal(): AbortSignal;
}
