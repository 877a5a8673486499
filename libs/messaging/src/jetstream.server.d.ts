import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from '@sandcastle/observability';
import { type DurableConsumerSpec } from './topology';
import type { MessagingMetrics } from './messaging.metrics';
export interface ConsumerBinding extends DurableConsumerSpec {
    /** Maps a concrete subject to the pattern handlers are registered under (`@MessagePattern`). */
    patternOf(subject: string): string;
}
export interface JetStreamServerOptions {
    nc: NatsConnection;
    js: JetStreamClient;
    bindings: ConsumerBinding[];
    logger: Logger;
    metrics: MessagingMetrics;
    /** How long `close()` waits for in-flight handlers before aborting them. */
    drainTimeoutMs?: number;
}
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
export declare class JetStreamServer extends Server implements CustomTransportStrategy {
    private readonly options;
    private readonly subscriptions;
    private readonly inFlight;
    private readonly shutdown;
    private closing;
    constructor(options: JetStreamServerOptions);
    listen(callback: (...optionalParams: unknown[]) => void): void;
    private start;
    /** Pulls messages one by one, never holding more than `concurrency` handlers at once. */
    private pump;
    private handle;
    private invoke;
    /** The only place that acks, naks or terminates. */
    private settle;
    close(): Promise<void>;
    on(): never;
    unwrap<T>(): T;
}
