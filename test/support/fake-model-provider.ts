/**
 * A real HTTP server that speaks two model providers' streaming wire formats, for unit and e2e
 * tests of the `anthropic` and `openai` runtimes. It listens on 127.0.0.1 on a random port.
 *
 * - `POST /v1/messages` → Anthropic Messages with `stream: true`: `event: <type>\ndata: <json>\n\n`
 *   frames (message_start with input/cache usage, content_block_start/delta/stop, message_delta
 *   with output usage, message_stop) and `event: ping` frames. With `tools` + a forced
 *   `tool_choice`, the answer is a `tool_use` block streamed as `input_json_delta` pieces.
 * - `POST /chat/completions` (also under `/v1`) → OpenAI Chat Completions with `stream: true`:
 *   `data: <chunk>\n\n` frames, a last chunk with `usage` (when `stream_options.include_usage`),
 *   then `data: [DONE]`. With `response_format.json_schema` (or a schema in the prompt) the content
 *   is JSON built from the schema.
 *
 * Frames are written in odd pieces (split inside multi-byte characters and between lines) so the
 * clients' parsers are exercised over real TCP. Every request is recorded (`requests`), and a
 * client that closes a stream early counts in `disconnects`.
 *
 * The reply depends on the requested model id and markers in the prompt, so e2e tests can drive
 * it from workflow YAML:
 *
 *   model `…-overloaded`      HTTP 529 (Anthropic) / 503 (OpenAI) `overloaded_error`, `retry-after: 1`
 *   model `…-429`             HTTP 429 `rate_limit_error` with `retry-after: <RETRY_AFTER_S>` (default 1)
 *   model `…-500`             HTTP 500 `api_error`
 *   model `…-401`             HTTP 401 `authentication_error`
 *   [fake:bad-output]         a structured answer that breaks the schema (strings where numbers go)
 *   [fake:not-json]           free text where JSON was asked for
 *   [fake:mid-error]          some text, then an `overloaded_error` event in the stream
 *   [fake:cut]                some text, then the stream ends without message_stop / [DONE]
 *   [fake:garbage]            non-JSON data lines and unknown events before a normal answer
 *   [fake:huge=N]             one text delta of N bytes
 *   [fake:slow=MS]            pings every 100 ms, the answer after MS ms
 *   [fake:silent]             headers, then nothing until the client gives up
 *   [fake:flaky=N]            the first N requests with this exact prompt get HTTP 529/503, later ones succeed
 *
 * Usage is fixed so tests can check cost against a price table: Anthropic reports 1000 input,
 * 500 output, 100 cache-write and 200 cache-read tokens; OpenAI 1200 prompt tokens (200 cached)
 * and 500 completion tokens.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAKE_USAGE = { input: 1000, output: 500, cacheWrite: 100, cacheRead: 200 } as const;
export const FAKE_OPENAI_USAGE = { prompt: 1200, cached: 200, completion: 500 } as const;

export interface RecordedModelRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: Date;
}

export interface FakeModelProvider {
  url: string;
  requests: RecordedModelRequest[];
  disconnects: number;
  close(): Promise<void>;
}

function marker(prompt: string, name: string): string | null {
  const found = new RegExp(`\\[fake:${name}(?:=([^\\]]*))?\\]`).exec(prompt);
  return found ? (found[1] ?? '') : null;
}

/** A value of the schema's shape; `wrong` swaps types so validation fails. */
export function valueFor(schema: unknown, wrong = false): unknown {
  const s = (typeof schema === 'object' && schema !== null ? schema : {}) as Record<string, unknown>;
  switch (s['type']) {
    case 'object': {
      const props = (s['properties'] ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueFor(v, wrong)]));
    }
    case 'array':
      return [valueFor(s['items'], wrong)];
    case 'number':
    case 'integer':
      return wrong ? 'not a number' : 7;
    case 'boolean':
      return wrong ? 'yes' : true;
    case 'string':
      return wrong ? 42 : 'fake';
    default:
      return wrong ? null : 'fake';
  }
}

/** Writes `text` in pieces of 1–7 characters' worth of bytes, cutting inside characters too. */
async function writeInPieces(res: ServerResponse, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  let n = 0;
  while (at < bytes.length) {
    const size = bytes.length > 4096 ? 65536 : 1 + (n++ % 7) * 3;
    if (!res.write(bytes.subarray(at, at + size))) await new Promise((r) => res.once('drain', r));
    at += size;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startFakeModelProvider(): Promise<FakeModelProvider> {
  const requests: RecordedModelRequest[] = [];
  const seenPrompts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const state = { disconnects: 0 };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // recorded as empty
      }
      const path = (req.url ?? '').split('?')[0] ?? '';
      requests.push({ path, headers: req.headers, body, at: new Date() });
      let finished = false;
      res.on('finish', () => (finished = true));
      res.on('close', () => {
        if (!finished) state.disconnects++;
      });
      const anthropic = path === '/v1/messages';
      const openai = path === '/chat/completions' || path === '/v1/chat/completions';
      if (req.method !== 'POST' || (!anthropic && !openai)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"type":"not_found"}}');
        return;
      }
      void reply(anthropic ? 'anthropic' : 'openai', body, res, seenPrompts).catch(() => res.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get disconnects() {
      return state.disconnects;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function promptOf(body: Record<string, unknown>): string {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as { content?: unknown }[]) : [];
  const content = messages[0]?.content;
  return typeof content === 'string' ? content : '';
}

function httpError(res: ServerResponse, status: number, type: string, retryAfter: string | null): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== null) headers['retry-after'] = retryAfter;
  res
    .writeHead(status, headers)
    .end(JSON.stringify({ type: 'error', error: { type, message: `fake ${type}` } }));
}

async function reply(
  wire: 'anthropic' | 'openai',
  body: Record<string, unknown>,
  res: ServerResponse,
  seenPrompts: Map<string, number>,
): Promise<void> {
  const model = typeof body['model'] === 'string' ? body['model'] : '';
  const prompt = promptOf(body);
  const retryAfter = process.env['FAKE_MODEL_RETRY_AFTER_S'] ?? '1';
  if (model.endsWith('-overloaded'))
    return httpError(res, wire === 'anthropic' ? 529 : 503, 'overloaded_error', '1');
  if (model.endsWith('-429')) return httpError(res, 429, 'rate_limit_error', retryAfter);
  if (model.endsWith('-500')) return httpError(res, 500, 'api_error', null);
  if (model.endsWith('-401')) return httpError(res, 401, 'authentication_error', null);
  const flaky = marker(prompt, 'flaky');
  if (flaky !== null) {
    const seen = (seenPrompts.get(prompt) ?? 0) + 1;
    seenPrompts.set(prompt, seen);
    if (seen <= Number(flaky))
      return httpError(res, wire === 'anthropic' ? 529 : 503, 'overloaded_error', '1');
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if (marker(prompt, 'silent') !== null) return; // headers only; the client's idle timeout decides
  const slow = marker(prompt, 'slow');
  if (slow !== null) {
    const until = Date.now() + Number(slow);
    while (Date.now() < until && !res.destroyed) {
      await writeInPieces(
        res,
        wire === 'anthropic' ? 'event: ping\ndata: {"type":"ping"}\n\n' : ': keep-alive\n\n',
      );
      await sleep(100);
    }
    if (res.destroyed) return;
  }
  if (marker(prompt, 'garbage') !== null) {
    await writeInPieces(
      res,
      'data: {not json\n\nevent: mystery\ndata: [1,2,3]\n\n: comment\n\nretry: 5\nid: 9\n\n',
    );
  }

  const schema = schemaOf(wire, body);
  const wrong = marker(prompt, 'bad-output') !== null;
  const huge = marker(prompt, 'huge');
  let text: string;
  if (schema !== undefined && marker(prompt, 'not-json') === null)
    text = JSON.stringify(valueFor(schema, wrong));
  else if (huge !== null) text = 'x'.repeat(Number(huge));
  else text = `fake answer to: ${prompt.slice(0, 40)} — café ✓ 🏰`;
  const pieces = text.length > 12 ? [text.slice(0, 5), text.slice(5, 12), text.slice(12)] : [text];

  if (wire === 'anthropic') await anthropicStream(res, model, pieces, schema !== undefined, prompt);
  else await openaiStream(res, model, pieces, body, prompt);
}

/** The schema the client asked the answer to follow: a forced tool, a response_format, or none. */
function schemaOf(wire: 'anthropic' | 'openai', body: Record<string, unknown>): unknown {
  if (wire === 'anthropic') {
    const tools = Array.isArray(body['tools']) ? (body['tools'] as { input_schema?: unknown }[]) : [];
    return tools[0]?.input_schema;
  }
  const format = body['response_format'] as { json_schema?: { schema?: unknown } } | undefined;
  if (format?.json_schema?.schema !== undefined) return format.json_schema.schema;
  const prompt = promptOf(body);
  const at = prompt.indexOf('matches this JSON Schema:\n');
  if (at < 0) return undefined;
  try {
    return JSON.parse(prompt.slice(at + 'matches this JSON Schema:\n'.length)) as unknown;
  } catch {
    return undefined;
  }
}

async function anthropicStream(
  res: ServerResponse,
  model: string,
  pieces: string[],
  tool: boolean,
  prompt: string,
): Promise<void> {
  const frame = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  let out = frame('message_start', {
    message: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: `${model}-20250101`,
      content: [],
      usage: {
        input_tokens: FAKE_USAGE.input,
        cache_creation_input_tokens: FAKE_USAGE.cacheWrite,
        cache_read_input_tokens: FAKE_USAGE.cacheRead,
        output_tokens: 1,
      },
    },
  });
  out += frame('ping', {});
  out += frame('content_block_start', {
    index: 0,
    content_block: tool
      ? { type: 'tool_use', id: 'toolu_fake', name: 'submit_output', input: {} }
      : { type: 'text', text: '' },
  });
  for (const piece of pieces) {
    out += frame('content_block_delta', {
      index: 0,
      delta: tool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece },
    });
    if (marker(prompt, 'mid-error') !== null) {
      out += frame('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
      await writeInPieces(res, out);
      res.end();
      return;
    }
  }
  if (marker(prompt, 'cut') !== null) {
    await writeInPieces(res, out);
    res.end();
    return;
  }
  out += frame('content_block_stop', { index: 0 });
  out += frame('message_delta', {
    delta: { stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: FAKE_USAGE.output },
  });
  out += frame('message_stop', {});
  await writeInPieces(res, out);
  res.end();
}

async function openaiStream(
  res: ServerResponse,
  model: string,
  pieces: string[],
  body: Record<string, unknown>,
  prompt: string,
): Promise<void> {
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null,
    extra: Record<string, unknown> = {},
  ) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    })}\n\n`;
  let out = chunk({ role: 'assistant', content: '' }, null);
  for (const piece of pieces) {
    out += chunk({ content: piece }, null);
    if (marker(prompt, 'mid-error') !== null) {
      out += `data: ${JSON.stringify({ error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
      await writeInPieces(res, out);
      res.end();
      return;
    }
  }
  if (marker(prompt, 'cut') !== null) {
    await writeInPieces(res, out);
    res.end();
    return;
  }
  out += chunk({}, 'stop');
  const options = body['stream_options'] as { include_usage?: boolean } | undefined;
  if (options?.include_usage === true) {
    out += `data: ${JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      model,
      choices: [],
      usage: {
        prompt_tokens: FAKE_OPENAI_USAGE.prompt,
        completion_tokens: FAKE_OPENAI_USAGE.completion,
        total_tokens: FAKE_OPENAI_USAGE.prompt + FAKE_OPENAI_USAGE.completion,
        prompt_tokens_details: { cached_tokens: FAKE_OPENAI_USAGE.cached },
      },
    })}\n\n`;
  }
  out += 'data: [DONE]\n\n';
  await writeInPieces(res, out);
  res.end();
}
