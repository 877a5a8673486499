// Server-Sent Events over fetch (not EventSource): the key goes in a header, never in the URL,
// and a dropped connection resumes with Last-Event-ID from the last event seen.
import { authHeaders } from './session';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** Splits a text stream into SSE events (comments and heartbeats are skipped). */
export class SseParser {
  private buffer = '';

  push(chunk: string): SseEvent[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const events: SseEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) events.push({ id, event, data: data.join('\n') });
    }
    return events;
  }
}

export interface StreamOptions {
  onEvent: (event: SseEvent) => void;
  /** Called once the server ends the stream on its own (the run finished). */
  onEnd?: () => void;
  signal: AbortSignal;
  /** Backoff between reconnects. */
  retryMs?: number;
}

/** Follows `url` until the server closes it cleanly or `signal` aborts; reconnects with Last-Event-ID. */
export async function followStream(url: string, options: StreamOptions): Promise<void> {
  let lastId: string | undefined;
  const retryMs = options.retryMs ?? 2000;
  while (!options.signal.aborted) {
    try {
      const response = await fetch(url, {
        headers: {
          Accept: 'text/event-stream',
          ...authHeaders(),
          ...(lastId ? { 'Last-Event-ID': lastId } : {}),
        },
        signal: options.signal,
      });
      if (!response.ok || !response.body) {
        // A 4xx will not get better by retrying (run gone, key revoked).
        if (response.status >= 400 && response.status < 500 && response.status !== 429) return;
        throw new Error(`stream answered ${response.status}`);
      }
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) {
          if (event.id) lastId = event.id;
          options.onEvent(event);
        }
      }
      options.onEnd?.();
      return;
    } catch {
      if (options.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
