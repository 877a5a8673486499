import { ApiError } from '../api/api-error';
import { followEvents, StreamLostError } from './sse-client';

/** A scripted fetch: each call answers with the next response (a body of chunks, or a status). */
function scriptedFetch(answers: ({ chunks: string[]; status?: number } | Error)[]): {
  fetch: typeof fetch;
  calls: Record<string, string>[];
} {
  const calls: Record<string, string>[] = [];
  const encoder = new TextEncoder();
  const fetchImpl = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ ...(init?.headers as Record<string, string>) });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of answer.chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    return new Response(body, { status: answer.status ?? 200 });
  };
  return { fetch: fetchImpl, calls };
}

async function collect(iterable: AsyncIterable<{ id: string; event: string }>, until: string) {
  const seen: string[] = [];
  for await (const message of iterable) {
    seen.push(`${message.event}#${message.id}`);
    if (message.event === until) break;
  }
  return seen;
}

describe('followEvents', () => {
  it('reconnects after a dropped connection with the last complete event id', async () => {
    const { fetch, calls } = scriptedFetch([
      { chunks: ['id: 1\nevent: status\ndata: {}\n\n', 'id: 2\nevent: step\ndata: {}\n\nid: 3\nevent: st'] },
      new Error('socket hang up'),
      { chunks: ['id: 3\nevent: step\ndata: {}\n\nid: 4\nevent: result\ndata: {}\n\n'] },
    ]);
    const reconnects: string[] = [];
    const seen = await collect(
      followEvents({
        url: 'http://sc.test/runs/x/stream',
        headers: { 'X-API-Key': 'k' },
        fetch,
        wait: async () => undefined,
        onReconnect: ({ lastEventId }) => reconnects.push(lastEventId),
      }),
      'result',
    );
    expect(seen).toEqual(['status#1', 'step#2', 'step#3', 'result#4']);
    expect(calls.map((h) => h['Last-Event-ID'])).toEqual([undefined, '2', '2']);
    expect(calls.every((h) => h['X-API-Key'] === 'k' && h['Accept'] === 'text/event-stream')).toBe(true);
    expect(reconnects).toEqual(['2', '2']);
  });

  it('throws a 4xx answer as the API error, without retrying', async () => {
    const { fetch, calls } = scriptedFetch([
      {
        status: 404,
        chunks: ['{"data":null,"error":{"code":"RUN_NOT_FOUND","message":"run \'x\' not found"}}'],
      },
    ]);
    await expect(collect(followEvents({ url: 'http://sc.test/s', fetch }), 'result')).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      status: 404,
    });
    expect(calls).toHaveLength(1);
    await expect(
      collect(
        followEvents({ url: 'http://sc.test/s', fetch: scriptedFetch([{ status: 400, chunks: [] }]).fetch }),
        'x',
      ),
    ).rejects.toBeInstanceOf(ApiError);
  });

  it('gives up after the allowed number of fruitless reconnects', async () => {
    const { fetch, calls } = scriptedFetch([
      { status: 503, chunks: ['down'] },
      new Error('refused'),
      { chunks: [': keep-alive\n\n'] },
    ]);
    await expect(
      collect(
        followEvents({ url: 'http://sc.test/s', fetch, maxReconnects: 2, wait: async () => undefined }),
        'result',
      ),
    ).rejects.toBeInstanceOf(StreamLostError);
    expect(calls).toHaveLength(3);
  });

  it('honours the retry delay the server asks for', async () => {
    const delays: number[] = [];
    const { fetch } = scriptedFetch([
      { chunks: ['id: 1\ndata: a\n\n'] },
      { chunks: ['retry: 5\nid: 2\ndata: b\n\n'] },
      { chunks: ['id: 3\nevent: result\ndata: c\n\n'] },
    ]);
    const seen = await collect(
      followEvents({
        url: 'http://sc.test/s',
        fetch,
        reconnectDelayMs: 750,
        wait: async (ms) => {
          delays.push(ms);
        },
      }),
      'result',
    );
    expect(seen).toEqual(['message#1', 'message#2', 'result#3']);
    expect(delays).toEqual([750, 5]);
  });
});
