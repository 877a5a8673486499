/** One dispatched Server-Sent Event. */
export interface SseMessage {
  /** The last event id seen so far in the stream (ids carry over to later events). */
  id: string;
  /** `message` when the event had no `event:` field. */
  event: string;
  /** The `data:` lines joined with line breaks. */
  data: string;
}

/**
 * An incremental parser for the `text/event-stream` format (WHATWG HTML, "Server-sent events"):
 * feed it text as it arrives, in chunks of any size, and it returns the events completed so
 * far. Lines may end with CRLF, LF or CR, also when a CRLF is split between two chunks.
 * Comment lines (`:`) are counted, `retry:` is kept, unknown fields are ignored.
 */
export class SseParser {
  /**
   * The id a reconnect sends as `Last-Event-ID` ('' until the server sent one). Only a complete
   * event sets it: the id of an event cut off by a dropped connection does not count.
   */
  lastEventId = '';
  /** Reconnection delay the server asked for with `retry:`, if any. */
  retryMs: number | null = null;
  comments = 0;

  private idBuffer = '';
  private pending = '';
  private skipLeadingLf = false;
  private eventType = '';
  private data: string[] = [];
  private hasData = false;

  push(chunk: string): SseMessage[] {
    const messages: SseMessage[] = [];
    let text = chunk;
    if (this.skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLeadingLf = false;
    text = this.pending + text;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      const message = this.line(text.slice(start, i));
      if (message) messages.push(message);
      if (c === '\r') {
        if (i + 1 === text.length) this.skipLeadingLf = true;
        else if (text[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.pending = text.slice(start);
    return messages;
  }

  /** Forgets a half-received event (the connection dropped); the last id and retry stay. */
  reset(): void {
    this.idBuffer = this.lastEventId;
    this.pending = '';
    this.skipLeadingLf = false;
    this.eventType = '';
    this.data = [];
    this.hasData = false;
  }

  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments++;
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.idBuffer = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseMessage | null {
    this.lastEventId = this.idBuffer;
    const message = this.hasData
      ? { id: this.lastEventId, event: this.eventType || 'message', data: this.data.join('\n') }
      : null;
    this.eventType = '';
    this.data = [];
    this.hasData = false;
    return message;
  }
}
