import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';

/**
 * What a JetStream handler may know about its message besides the payload. Handlers read it
 * with `@Ctx() ctx: JetStreamContext`.
 */
export class JetStreamContext extends BaseRpcContext<[JsMsg, AbortSignal]> {
  get subject(): string {
    return this.args[0].subject;
  }

  /** 1 on first delivery; higher after a crash or a retry. */
  get deliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  /** When the stream stored the message. */
  get publishedAt(): Date {
    return new Date(Math.floor(this.args[0].info.timestampNanos / 1_000_000));
  }

  /**
   * Aborted when the process is shutting down and the drain period is over: a long handler
   * should stop and return `Outcome.retryAfter(0, …)` so another replica picks the message up.
   */
  get shutdownSignal(): AbortSignal {
    return this.args[1];
  }
}
