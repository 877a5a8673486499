import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
export interface OutgoingMessage {
    subject: string;
    /** Deterministic id (see `messageIds` in contracts); a re-publish with the same id is dropped. */
    msgId: string;
    /** JSON-serialisable payload, or an already serialised JSON string. */
    payload: unknown;
}
/**
 * Publishes to JetStream with message ids and waits for the stream's acknowledgement, so a
 * caller knows the message is stored before it acks its own input.
 */
export declare class JetStreamPublisher {
    private readonly nc;
    private readonly js;
    constructor(nc: NatsConnection, js: JetStreamClient);
    publish(message: OutgoingMessage): Promise<PubAck>;
    /** Publishes several messages concurrently; resolves when the stream stored all of them. */
    publishAll(messages: readonly OutgoingMessage[]): Promise<PubAck[]>;
    /** Core NATS, fire and forget: for signals that only matter to whoever listens right now. */
    signal(subject: string, payload: unknown): void;
}
