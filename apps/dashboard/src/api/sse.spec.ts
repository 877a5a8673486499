/**
 * @jest-environment node
 */
// Node has the fetch stream classes (ReadableStream, TextDecoderStream) that jsdom lacks.
import { followStream, SseParser } from './sse';

/** A response body that delivers `chunks`, then ends (or, with `fail`, breaks like a reset connection). */
function streamOf(chunks: string[], fail = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (!sent) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        sent = true;
      } else if (fail) controller.error(new Error('connection reset'));
      else controller.close();
    },
  });
}

describe('SseParser', () => {
  it('joins events split across chunks and skips comments and heartbeats', () => {
    const parser = new SseParser();
    expect(parser.push(': heartbeat\n\nid: 4')).toEqual([]);
    expect(
      parser.push('1\nevent: step\ndata: {"a":\ndata: 1}\n\nid: 42\r\nevent: result\r\ndata: x\r\n\r\n'),
    ).toEqual([
      { id: '41', event: 'step', data: '{"a":\n1}' },
      { id: '42', event: 'result', data: 'x' },
    ]);
  });
});

describe('followStream', () => {
  const realFetch = global.fetch;
  const stored = new Map<string, string>();
  beforeAll(() => {
    (globalThis as { sessionStorage?: Pick<Storage, 'getItem' | 'setItem'> }).sessionStorage = {
      getItem: (k) => stored.get(k) ?? null,
      setItem: (k, v) => void stored.set(k, v),
    };
  });
  afterEach(() => {
    global.fetch = realFetch;
    stored.clear();
  });

  it('sends the key in a header, and after a dropped connection resumes with Last-Event-ID', async () => {
    sessionStorage.setItem('sandcastle.apiKey', 'sc_test');
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const answers = [
      streamOf(['id: 1\nevent: status\ndata: running\n\n'], true),
      streamOf(['id: 2\nevent: result\ndata: completed\n\n']),
    ];
    global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: url as string, headers: init?.headers as Record<string, string> });
      return { ok: true, status: 200, body: answers.shift() } as unknown as Response;
    }) as typeof fetch;
    const events: string[] = [];
    let ended = false;
    await followStream('/runs/r1/stream', {
      signal: new AbortController().signal,
      retryMs: 1,
      onEvent: (e) => events.push(`${e.id}:${e.event}:${e.data}`),
      onEnd: () => (ended = true),
    });
    expect(events).toEqual(['1:status:running', '2:result:completed']);
    expect(ended).toBe(true);
    expect(calls.map((c) => c.url)).toEqual(['/runs/r1/stream', '/runs/r1/stream']);
    expect(calls[0]?.headers).toEqual({ Accept: 'text/event-stream', 'X-API-Key': 'sc_test' });
    expect(calls[1]?.headers['Last-Event-ID']).toBe('1');
  });

  it('gives up on a 404 instead of retrying for ever', async () => {
    global.fetch = jest.fn(
      async () => ({ ok: false, status: 404, body: null }) as unknown as Response,
    ) as typeof fetch;
    await followStream('/runs/gone/stream', {
      signal: new AbortController().signal,
      retryMs: 1,
      onEvent: () => undefined,
    });
    expect(global.fetch).toHaveBeenCalledTimes(1);
  });
});
