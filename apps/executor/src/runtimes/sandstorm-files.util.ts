import type { RuntimeFile } from './agent-runtime';
import type { SseMessage } from './sse-parser';

/**
 * Keeps the `file` events Sandstorm sends after its result (spec/sandstorm-api.md: `name`,
 * `relative_path`, `size`, `data` in base64; up to tens of MB each) within a byte budget
 * (MAX_RUNTIME_FILE_BYTES). A file that does not fit, or an event that is not a well-formed
 * file, is counted as dropped; the attempt's result stands either way.
 */
export class FileCollector {
  readonly files: RuntimeFile[] = [];
  dropped = 0;
  private kept = 0;

  constructor(readonly maxBytes: number) {}

  /** Largest SSE event a file within the budget can arrive in (base64 + JSON framing). */
  get maxEventBytes(): number {
    return Math.ceil((this.maxBytes * 4) / 3) + 64 * 1024;
  }

  /** Bytes of stream after the result worth reading for files; past it the stream is dropped. */
  get maxStreamBytes(): number {
    return this.maxEventBytes + 1024 * 1024;
  }

  take(message: SseMessage): void {
    if (message.kind !== 'event' || message.data === '') return;
    let event: unknown;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null || (event as { type?: unknown }).type !== 'file') return;
    const { data, relative_path: relativePath, name } = event as Record<string, unknown>;
    const label = typeof relativePath === 'string' && relativePath !== '' ? relativePath : name;
    if (typeof data !== 'string' || typeof label !== 'string' || !/^[A-Za-z0-9+/=\r\n]*$/.test(data)) {
      this.dropped++;
      return;
    }
    const bytes = Buffer.from(data, 'base64');
    if (this.kept + bytes.length > this.maxBytes) {
      this.dropped++;
      return;
    }
    this.kept += bytes.length;
    this.files.push({ name: label, data: bytes });
  }
}
