import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { NatsNames } from '@sandcastle/contracts';

/**
 * Messages that could not be handled within their bounded number of deliveries. They are kept
 * in one JetStream stream, `<NS>_DEAD_LETTERS` (limits retention), for every service alike: the
 * executor has no database (DESIGN rule 8), and one mechanism is simpler to operate than a
 * table in four databases plus a stream for the fifth. The gateway lists them for the admin key
 * (`GET /admin/message-dead-letters`).
 */
export interface MessageDeadLetter {
  /** The stream sequence of the dead letter itself (the paging cursor); set when read. */
  seq?: number;
  service: string;
  consumer: string;
  stream: string;
  /** Sequence of the original message in its stream. */
  streamSequence: number;
  subject: string;
  /** The original `Nats-Msg-Id`, null when it had none. */
  msgId: string | null;
  deliveryCount: number;
  lastError: string;
  /** The payload as text, cut at `DEAD_LETTER_PAYLOAD_BYTES` bytes. */
  payload: string;
  payloadBytes: number;
  payloadTruncated: boolean;
  deadLetteredAt: string;
}

/** Bounds of what one dead letter keeps: well under the broker's max payload (1 MB by default). */
export const DEAD_LETTER_PAYLOAD_BYTES = 64 * 1024;
export const DEAD_LETTER_ERROR_CHARS = 2_000;

export function deadLettersStream(names: NatsNames): string {
  return names.streams.deadLetters;
}

export function deadLettersSubject(names: NatsNames, service: string): string {
  return `${names.namespace}.dead.${service}`;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Builds the record kept for a message given up on. */
export function deadLetterOf(
  msg: JsMsg,
  where: { service: string; consumer: string },
  lastError: string,
  now: Date = new Date(),
): MessageDeadLetter {
  const data = msg.data;
  const truncated = data.length > DEAD_LETTER_PAYLOAD_BYTES;
  return {
    service: where.service,
    consumer: where.consumer,
    stream: msg.info.stream,
    streamSequence: msg.info.streamSequence,
    subject: msg.subject,
    msgId: msg.headers?.get('Nats-Msg-Id') || null,
    deliveryCount: msg.info.deliveryCount,
    lastError:
      lastError.length > DEAD_LETTER_ERROR_CHARS
        ? `${lastError.slice(0, DEAD_LETTER_ERROR_CHARS)}…`
        : lastError,
    // A cut inside a multi-byte character decodes to U+FFFD: the text stays valid.
    payload: decoder.decode(truncated ? data.subarray(0, DEAD_LETTER_PAYLOAD_BYTES) : data),
    payloadBytes: data.length,
    payloadTruncated: truncated,
    deadLetteredAt: now.toISOString(),
  };
}

/** Stores dead letters; the message id makes a repeated store (crash before `term`) a no-op. */
export class DeadLetterPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly names: NatsNames,
  ) {}

  async publish(letter: MessageDeadLetter): Promise<void> {
    await this.js.publish(
      deadLettersSubject(this.names, letter.service),
      encoder.encode(JSON.stringify(letter)),
      { msgID: `dead:${letter.stream}:${letter.streamSequence}`, timeout: 10_000 },
    );
  }
}

export interface DeadLetterPage {
  items: MessageDeadLetter[];
  /** Dead letters kept now (older ones expire with the stream's max age / max count). */
  total: number;
  /** Pass as `before` to read the next (older) page; null when this page reached the oldest. */
  nextBefore: number | null;
}

/**
 * Reads dead letters newest first. Limits retention only removes the oldest messages, so the
 * kept sequences are contiguous from `first_seq` to `last_seq`: a page is `limit` direct reads
 * walking down from `before - 1`.
 */
export async function readDeadLetters(
  jsm: JetStreamManager,
  names: NatsNames,
  page: { before?: number; limit: number },
): Promise<DeadLetterPage> {
  const info = await jsm.streams.info(deadLettersStream(names));
  const { first_seq: first, last_seq: last, messages } = info.state;
  const items: MessageDeadLetter[] = [];
  let seq = Math.min(last, (page.before ?? last + 1) - 1);
  for (; seq >= first && items.length < page.limit && messages > 0; seq--) {
    try {
      const stored = await jsm.streams.getMessage(deadLettersStream(names), { seq });
      if (!stored) continue;
      items.push({ ...stored.json<MessageDeadLetter>(), seq });
    } catch (err) {
      // Expired or deleted between the info and the read: skip it.
      if (err instanceof JetStreamApiError && err.status === 404) continue;
      throw err;
    }
  }
  return { items, total: messages, nextBefore: seq >= first && messages > 0 ? seq + 1 : null };
}
