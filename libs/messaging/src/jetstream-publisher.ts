import { jetstreamManager, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
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
  /**
   * @param timeoutMs how long to wait for the stream's acknowledgement. Short on purpose: a
   *   request sent while the broker was restarting may never be answered, and every caller
   *   retries with the same message id (a stored duplicate is dropped), so waiting longer only
   *   delays recovery.
   */
  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly timeoutMs = 5_000,
  ) {}

  async publish(message: OutgoingMessage): Promise<PubAck> {
    const body = typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload);
    return this.js.publish(message.subject, encoder.encode(body), {
      msgID: message.msgId,
      timeout: this.timeoutMs,
    });
  }

  /** Publishes several messages concurrently; resolves when the stream stored all of them. */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<PubAck[]> {
    return Promise.all(messages.map((m) => this.publish(m)));
  }

  /**
   * Whether JetStream answers an API request right now (a cheap account-info call). Tells a
   * message that cannot be stored (poison) from a broker that cannot store anything (an outage).
   */
  async brokerAnswers(timeoutMs = 2_000): Promise<boolean> {
    if (this.nc.isClosed()) return false;
    try {
      const jsm = await jetstreamManager(this.nc, { timeout: timeoutMs });
      await jsm.getAccountInfo();
      return true;
    } catch {
      return false;
    }
  }

  /** Core NATS, fire and forget: for signals that only matter to whoever listens right now. */
  signal(subject: string, payload: unknown): void {
    this.nc.publish(subject, encoder.encode(JSON.stringify(payload)));
  }
}
