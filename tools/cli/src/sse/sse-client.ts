import { apiErrorFrom, ApiError, ConnectionError } from '../api/api-error';
import { SseParser, type SseMessage } from './sse-parser';

export interface FollowOptions {
  url: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Wait before reconnecting when the server asked for nothing else with `retry:`. */
  reconnectDelayMs?: number;
  /** Consecutive connections that bring no event before giving up. */
  maxReconnects?: number;
  /** Called before each reconnect, e.g. to tell the user. */
  onReconnect?: (info: { attempt: number; lastEventId: string; reason: unknown }) => void;
  /** How to wait before a reconnect (tests record the delays instead). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The stream could not be resumed within the allowed reconnects. */
export class StreamLostError extends Error {
  constructor(readonly reason: unknown) {
    super(`the event stream was lost: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'StreamLostError';
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Follows a Server-Sent Events URL and yields its events. When the connection drops or the
 * server ends the stream, it reconnects with `Last-Event-ID` (the last complete event's id), so
 * the server resumes after it; the consumer decides when it has seen enough and stops
 * iterating, which closes the connection. A 4xx answer is final and thrown as an ApiError.
 */
export async function* followEvents(options: FollowOptions): AsyncGenerator<SseMessage> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxReconnects = options.maxReconnects ?? 10;
  const parser = new SseParser();
  let failures = 0;
  for (;;) {
    let reason: unknown;
    let received = false;
    const connection = new AbortController();
    const abort = (): void => connection.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const headers: Record<string, string> = { ...options.headers, Accept: 'text/event-stream' };
      if (parser.lastEventId !== '') headers['Last-Event-ID'] = parser.lastEventId;
      let response: Response;
      try {
        response = await fetchImpl(options.url, { headers, signal: connection.signal });
      } catch (err) {
        throw new ConnectionError(new URL(options.url).origin, err);
      }
      if (!response.ok) {
        const error = apiErrorFrom(response.status, await response.text());
        if (response.status < 500) throw error;
        reason = error;
      } else if (!response.body) {
        reason = new Error('the response has no body');
      } else {
        const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const message of parser.push(decoder.decode(value, { stream: true }))) {
            received = true;
            yield message;
          }
        }
        reason = new Error('the server closed the stream');
      }
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) throw err;
      reason = err;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      // Also runs when the consumer stops iterating: the connection is closed at once.
      connection.abort();
    }
    if (options.signal?.aborted) return;
    failures = received ? 1 : failures + 1;
    if (failures > maxReconnects) throw new StreamLostError(reason);
    parser.reset();
    options.onReconnect?.({ attempt: failures, lastEventId: parser.lastEventId, reason });
    await (options.wait ?? sleep)(parser.retryMs ?? options.reconnectDelayMs ?? 1000, options.signal);
    if (options.signal?.aborted) return;
  }
}
