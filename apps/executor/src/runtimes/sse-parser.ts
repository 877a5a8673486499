import { utf8Bytes } from '@sandcastle/contracts';
import { RuntimeStreamTooLargeError } from './agent-runtime';

/** A dispatched SSE event (a message with at least one `data:` line). */
export interface SseEvent {
  kind: 'event';
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The `event:` field, '' when absent (the spec's default "message"). */
  event: string;
  /** The last `id:` seen on the stream, '' when none. */
  id: string;
}

/** A comment line (`: text`); servers send these as keep-alive pings. */
export interface SseComment {
  kind: 'comment';
  text: string;
}

export type SseMessage = SseEvent | SseComment;

const CR = '\r';
const LF = '\n';

/**
 * Incremental parser for `text/event-stream` following the WHATWG "event stream interpretation"
 * rules: lines end in CRLF, LF or CR; a blank line dispatches the event; `data:` lines accumulate.
 *
 * Feed it raw bytes as they arrive. Chunks may split anywhere — inside a multi-byte UTF-8 char
 * (TextDecoder in streaming mode holds the partial bytes) or between the CR and LF of a CRLF pair
 * (`skipLeadingLf` remembers that a CR just ended a line). Every character is scanned once and
 * partial lines and data are kept as lists of pieces joined only when complete, so a tens-of-MB
 * event costs linear time, not quadratic re-buffering.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private lineParts: string[] = [];
  private lineBytes = 0;
  private dataParts: string[] = [];
  private dataBytes = 0;
  private hasData = false;
  private eventType = '';
  private lastEventId = '';
  private skipLeadingLf = false;
  private ended = false;
  /** After drain(): lines are recognised (comment or not) but nothing of them is kept. */
  private draining = false;
  private drainLineLength = 0;
  private drainLineFirst = '';

  /**
   * @param maxEventBytes MAX_RUNTIME_EVENT_BYTES: a line, or the data of one event, larger than
   * this throws RuntimeStreamTooLargeError as soon as it passes it (nothing more is buffered).
   */
  constructor(private maxEventBytes = Number.POSITIVE_INFINITY) {}

  /** A new limit for the lines and events still to come (e.g. large `file` events after a result). */
  setMaxEventBytes(bytes: number): void {
    this.maxEventBytes = bytes;
  }

  /**
   * From now on keep nothing: comments still come out as comments and every other message as an
   * event with empty data (so a caller can tell activity from keep-alive pings), but no line or
   * data is buffered, so a multi-MB event after the result costs no memory and no limit.
   */
  drain(): void {
    this.draining = true;
    this.lineParts = [];
    this.lineBytes = 0;
    this.dataParts = [];
    this.dataBytes = 0;
  }

  /** Parses one chunk and returns the messages it completed, in stream order. */
  push(chunk: Uint8Array | string): SseMessage[] {
    if (this.ended) throw new Error('SseParser.push() called after end()');
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseMessage[] = [];
    this.scan(text, out);
    return out;
  }

  /**
   * Ends the stream. Per the spec an event not terminated by a blank line is discarded, so this
   * returns no events; it only flushes the decoder (a truncated UTF-8 sequence is dropped).
   */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.decoder.decode();
    this.lineParts = [];
    this.dataParts = [];
  }

  private scan(text: string, out: SseMessage[]): void {
    let pos = 0;
    if (this.skipLeadingLf && text.length > 0) {
      this.skipLeadingLf = false;
      if (text[0] === LF) pos = 1;
    }
    // Next CR / LF positions are cached and only searched again once passed, which keeps the scan
    // linear even when a chunk holds many lines of one ending and none of the other.
    let nextCr = text.indexOf(CR, pos);
    let nextLf = text.indexOf(LF, pos);
    while (pos < text.length) {
      if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf(CR, pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf(LF, pos);
      const end = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
      if (end === -1) {
        this.addLinePart(text.slice(pos));
        return;
      }
      this.addLinePart(text.slice(pos, end));
      const line = this.takeLine();
      pos = end + 1;
      if (text[end] === CR) {
        if (pos === text.length) this.skipLeadingLf = true;
        else if (text[pos] === LF) pos += 1;
      }
      this.processLine(line, out);
    }
  }

  private takeLine(): string {
    if (this.draining) {
      const line = this.drainLineLength === 0 ? '' : this.drainLineFirst === ':' ? ':' : 'data:';
      this.drainLineLength = 0;
      this.drainLineFirst = '';
      return line;
    }
    const line = this.lineParts.length === 1 ? (this.lineParts[0] ?? '') : this.lineParts.join('');
    this.lineParts = [];
    this.lineBytes = 0;
    return line;
  }

  private addLinePart(part: string): void {
    if (this.draining) {
      if (this.drainLineLength === 0 && part.length > 0) this.drainLineFirst = part[0] ?? '';
      this.drainLineLength += part.length;
      return;
    }
    this.lineBytes += utf8Bytes(part);
    if (this.lineBytes > this.maxEventBytes) this.tooLarge('a line');
    this.lineParts.push(part);
  }

  private tooLarge(what: string): never {
    throw new RuntimeStreamTooLargeError(
      `the runtime sent ${what} larger than ${this.maxEventBytes} bytes (MAX_RUNTIME_EVENT_BYTES)`,
    );
  }

  private processLine(line: string, out: SseMessage[]): void {
    if (line === '') {
      this.dispatch(out);
      return;
    }
    if (line.startsWith(':')) {
      out.push({ kind: 'comment', text: line.slice(1).trimStart() });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataBytes += utf8Bytes(value) + 1;
        if (this.dataBytes > this.maxEventBytes) this.tooLarge('an event');
        this.dataParts.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
        // `retry` and unknown fields do not affect what we dispatch.
        break;
    }
  }

  private dispatch(out: SseMessage[]): void {
    if (this.hasData) {
      out.push({ kind: 'event', data: this.dataParts.join(LF), event: this.eventType, id: this.lastEventId });
    }
    this.dataParts = [];
    this.dataBytes = 0;
    this.hasData = false;
    this.eventType = '';
  }
}
