import type { JsMsg } from '@nats-io/jetstream';
import { RunEvent, validateMessage } from '@sandcastle/contracts';

/**
 * A run event as stored in the EVENTS stream: the payload plus its stream sequence, which is
 * the SSE event id (unique and ordered across the stream, so also within one run's subject).
 */
export interface StoredRunEvent {
  seq: number;
  event: RunEvent;
}

/** Decodes and validates one stream message; throws InvalidMessageError on a bad payload. */
export function decodeRunEvent(message: JsMsg): StoredRunEvent {
  return { seq: message.seq, event: validateMessage(RunEvent, message.json<unknown>()) };
}
