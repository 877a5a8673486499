import { SseParser, type SseMessage } from './sse-parser';

const encoder = new TextEncoder();

/** Feeds `bytes` cut at the given offsets and collects every message. */
function parseInPieces(bytes: Uint8Array, cuts: number[]): SseMessage[] {
  const parser = new SseParser();
  const out: SseMessage[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...parser.push(bytes.subarray(start, cut)));
    start = cut;
  }
  parser.end();
  return out;
}

function parseWhole(text: string): SseMessage[] {
  return parseInPieces(encoder.encode(text), []);
}

describe('SseParser', () => {
  it('parses sse-starlette framing (data only, CRLF CRLF)', () => {
    const text = 'data: {"type":"system"}\r\n\r\ndata: {"type":"result"}\r\n\r\n';
    expect(parseWhole(text)).toEqual([
      { kind: 'event', data: '{"type":"system"}', event: '', id: '' },
      { kind: 'event', data: '{"type":"result"}', event: '', id: '' },
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CRLF', '\r\n'],
  ])('accepts %s line endings', (_name, eol) => {
    const text = `data: a${eol}data: b${eol}${eol}data: c${eol}${eol}`;
    expect(parseWhole(text).map((m) => (m.kind === 'event' ? m.data : null))).toEqual(['a\nb', 'c']);
  });

  it('gives the same result for every split point, including inside CRLF pairs', () => {
    const text = ': ping - 2026-02-15 10:00:00\r\n\r\ndata: {"x":1}\r\ndata: two\r\n\r\ndata:last\r\n\r\n';
    const bytes = encoder.encode(text);
    const expected = parseWhole(text);
    expect(expected).toHaveLength(3);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseInPieces(bytes, [cut])).toEqual(expected);
    }
    // and byte by byte
    expect(
      parseInPieces(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_v, i) => i + 1),
      ),
    ).toEqual(expected);
  });

  it('does not turn a CR followed by a LF in the next chunk into an extra blank line', () => {
    // If the LF after a chunk-final CR were treated as its own line ending, the event would be
    // dispatched after "data: a" and "data: b" would start a second event.
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\ndata: b\r')).toEqual([]);
    expect(parser.push('\n\r')).toEqual([{ kind: 'event', data: 'a\nb', event: '', id: '' }]);
    expect(parser.push('\n')).toEqual([]);
  });

  it('decodes multi-byte UTF-8 characters split across chunks', () => {
    const text = 'data: {"text":"café ✓ 🏰"}\r\n\r\n';
    const bytes = encoder.encode(text);
    const expected = [{ kind: 'event', data: '{"text":"café ✓ 🏰"}', event: '', id: '' }];
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseInPieces(bytes, [cut])).toEqual(expected);
    }
  });

  it('reports comments (keep-alive pings) separately and never as events', () => {
    expect(parseWhole(': ping - 2026-02-15 10:00:30.123456+00:00\r\n\r\n')).toEqual([
      { kind: 'comment', text: 'ping - 2026-02-15 10:00:30.123456+00:00' },
    ]);
  });

  it('keeps event and id fields on the event but dispatches by data alone', () => {
    expect(parseWhole('event: custom\nid: 7\ndata: x\n\nretry: 5\ndata: y\n\n')).toEqual([
      { kind: 'event', data: 'x', event: 'custom', id: '7' },
      { kind: 'event', data: 'y', event: '', id: '7' },
    ]);
  });

  it('ignores blank-line blocks without data and strips only one leading space', () => {
    expect(parseWhole('event: nothing\n\ndata:  two spaces\ndata\n\n')).toEqual([
      { kind: 'event', data: ' two spaces\n', event: '', id: '' },
    ]);
  });

  it('discards an event the stream ended in the middle of', () => {
    const parser = new SseParser();
    expect(parser.push('data: complete\n\ndata: partial\n')).toEqual([
      { kind: 'event', data: 'complete', event: '', id: '' },
    ]);
    parser.end();
    expect(() => parser.push('\n')).toThrow(/after end/);
  });

  it('handles a 30 MB event delivered in 64 KiB chunks', () => {
    const payload = 'A'.repeat(30 * 1024 * 1024);
    const bytes = encoder.encode(
      `data: {"type":"file","data":"${payload}"}\r\n\r\ndata: {"type":"done"}\r\n\r\n`,
    );
    const parser = new SseParser();
    const out: SseMessage[] = [];
    for (let i = 0; i < bytes.length; i += 65536) out.push(...parser.push(bytes.subarray(i, i + 65536)));
    expect(out).toHaveLength(2);
    const first = out[0];
    expect(first?.kind === 'event' && (JSON.parse(first.data) as { data: string }).data.length).toBe(
      payload.length,
    );
    expect(out[1]).toEqual({ kind: 'event', data: '{"type":"done"}', event: '', id: '' });
  });
});

describe('SseParser.drain', () => {
  it('keeps nothing after drain() but still tells comments from other messages', () => {
    const parser = new SseParser(16);
    parser.drain();
    const out = parser.push(`: ping\n\ndata: ${'x'.repeat(1000)}\n`);
    expect(out).toEqual([{ kind: 'comment', text: '' }]);
    const [event] = parser.push(`${'y'.repeat(1000)}\n\n`);
    expect(event).toMatchObject({ kind: 'event' });
    expect((event as { data: string }).data.trim()).toBe('');
  });
});
