import { jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/nats-core';
import { outgoingTraceparent, TRACEPARENT_HEADER } from '@sandcastle/observability';
import { PublishAcks, type StoredMessage } from './publish-acks';

const encoder = new TextEncoder();

/** NATS' default max_payload, used until the server has told us its own. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Room left in every message for headers (message id, trace context). */
export const HEADER_ALLOWANCE_BYTES = 16 * 1024;

/**
 * A payload above the server's max_payload, refused before sending: the broker would refuse it
 * anyway, and a publish that can never succeed must not sit in a batch or be retried forever.
 */
export class PayloadTooLargeError extends Error {
  constructor(
    readonly subject: string,
    readonly msgId: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`message ${msgId} on ${subject} is ${bytes} bytes, above the broker's max payload of ${maxBytes}`);
    this.name = 'PayloadTooLargeError';
  }
}

export interface OutgoingMessage {
  subject: string;
  /** Deterministic id (see `messageIds` in contracts); a re-publish with the same id is dropped. */
  msgId: string;
  /** JSON-serialisable payload, or an already serialised JSON string. */
  payload: unknown;
  /**
   * W3C trace context sent as the `traceparent` header (one trace per run): a stored one (an
   * outbox row keeps its run's), else the current log context's trace with a new span.
   */
  traceparent?: string | null;
}

/** The header JetStream's duplicate window keys on. */
const MSG_ID_HEADER = 'Nats-Msg-Id';

/**
 * Publishes to JetStream with message ids and waits for the stream's acknowledgement, so a
 * caller knows the message is stored before it acks its own input.
 */
export class JetStreamPublisher {
  private readonly acks: PublishAcks;

  /**
   * @param timeoutMs how long to wait for the stream's acknowledgement. Short on purpose: a
   *   request sent while the broker was restarting may never be answered, and every caller
   *   retries with the same message id (a stored duplicate is dropped), so waiting longer only
   *   delays recovery.
   */
  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 5_000,
  ) {
    this.acks = new PublishAcks(nc);
  }

  /** The server's max_payload (from its INFO), or NATS' default before the first connect. */
  maxPayloadBytes(): number {
    return this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES;
  }

  /** The largest payload a caller should build: max_payload less room for headers. */
  maxMessageBytes(): number {
    return Math.max(1024, this.maxPayloadBytes() - HEADER_ALLOWANCE_BYTES);
  }

  /** Rejects with PayloadTooLargeError (nothing sent) when the payload exceeds max_payload. */
  async publish(message: OutgoingMessage): Promise<StoredMessage> {
    const body = typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload);
    const bytes = encoder.encode(body);
    const max = this.maxMessageBytes();
    if (bytes.byteLength > max) {
      throw new PayloadTooLargeError(message.subject, message.msgId, bytes.byteLength, max);
    }
    const h = headers();
    h.set(MSG_ID_HEADER, message.msgId);
    const traceparent = message.traceparent ?? outgoingTraceparent();
    if (traceparent) h.set(TRACEPARENT_HEADER, traceparent);
    return this.acks.publish(message.subject, bytes, h, this.timeoutMs);
  }

  /** Publishes several messages concurrently; resolves when the stream stored all of them. */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<StoredMessage[]> {
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
