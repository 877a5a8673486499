import type { MessageDeadLetter } from '@sandcastle/messaging';

/** One message given up on after its bounded deliveries, as the admin API shows it. */
export interface MessageDeadLetterView {
  seq: number;
  service: string;
  consumer: string;
  stream: string;
  stream_sequence: number;
  subject: string;
  msg_id: string | null;
  delivery_count: number;
  last_error: string;
  payload: string;
  payload_bytes: number;
  payload_truncated: boolean;
  dead_lettered_at: string;
}

export function messageDeadLetterView(letter: MessageDeadLetter): MessageDeadLetterView {
  return {
    seq: letter.seq ?? 0,
    service: letter.service,
    consumer: letter.consumer,
    stream: letter.stream,
    stream_sequence: letter.streamSequence,
    subject: letter.subject,
    msg_id: letter.msgId,
    delivery_count: letter.deliveryCount,
    last_error: letter.lastError,
    payload: letter.payload,
    payload_bytes: letter.payloadBytes,
    payload_truncated: letter.payloadTruncated,
    dead_lettered_at: letter.deadLetteredAt,
  };
}
