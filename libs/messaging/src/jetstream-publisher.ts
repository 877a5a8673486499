import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

const encoder = new TextEncoder();

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
export class JetStreamPublisher {
  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
  ) {}

  async publish(message: OutgoingMessage): Promise<PubAck> {
    const body = typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload);
    return this.js.publish(message.subject, encoder.encode(body), { msgID: message.msgId, timeout: 10_000 });
  }

  /** Publishes several messages concurrently; resolves when the stream stored all of them. */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<PubAck[]> {
    return Promise.all(messages.map((m) => this.publish(m)));
  }

  /** Core NATS, fire and forget: for signals that only matter to whoever listens right now. */
  signal(subject: string, payload: unknown): void {
    this.nc.publish(subject, encoder.encode(JSON.stringify(payload)));
  }
}
