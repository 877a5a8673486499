/**
 * A real HTTP server that speaks Sandstorm's wire format (spec/sandstorm-api.md), for unit and e2e
 * tests. It listens on 127.0.0.1 on a random port.
 *
 * - `GET /health` → `{"status":"ok"}`.
 * - `POST /query` → validated like Sandstorm (401 with `apiKey` set and a missing/wrong Bearer token,
 *   422 `{"detail":[...]}` for a missing prompt or a timeout outside 5..3600), then an SSE stream
 *   framed like sse-starlette: `data: <json>\r\n\r\n` only (no `event:`/`id:`), and keep-alive
 *   comments `: ping - <timestamp>\r\n\r\n` (every 30 s unless `pingIntervalMs` says otherwise).
 *   Frames are written in odd pieces — split inside a CRLF pair and inside multi-byte UTF-8
 *   characters — so clients' parsers are exercised over real TCP.
 * - Every request (method, path, headers, raw and parsed body) is recorded in `requests`, with the
 *   time its response ended (`endedAt`, null while it is open), whether the client dropped it
 *   (`droppedByClient`) and the client's TCP port (`remotePort`: which process made it). A client
 *   closing a stream before it ended counts in `disconnects` (with time, in `disconnectLog`).
 *   Fault-injection tests use these to tell which calls were in flight, and where.
 *
 * Without `setScenario`, the reply is derived from markers in the prompt, so e2e tests can drive it
 * from workflow YAML. Markers combine:
 *
 *   (none)                system init → assistant (text + tool_use) → user (tool_result) → result
 *                         with result "fake answer to: <prompt start>", `structured_output` built
 *                         from `output_format.schema` when sent, total_cost_usd 0.0123, usage, num_turns 2
 *   [fake:cost=0.4]       the result (or failed result) reports total_cost_usd 0.4
 *   [fake:error]          init, a stderr line, then `{"type":"error","error":"fake sandbox failure",...}`
 *   [fake:no-result]      init and an assistant message, then the stream just ends (a dead sandbox)
 *   [fake:max-turns]      a result with subtype error_max_turns and is_error true (cost still counted)
 *   [fake:slow=30000]     pings every 200 ms; the result comes after 30 s unless the client disconnects
 *   [fake:silent]         headers, then nothing at all (no pings) until the client gives up
 *   [fake:http=422]       that HTTP status before any stream (422 FastAPI detail, 401 Not authenticated)
 *   [fake:flaky=2]        the first 2 requests with this exact prompt get an error event, later ones succeed
 *   [fake:file=5000000]   after the result, a `file` event carrying that many bytes (base64)
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON, or null when the body is empty or not JSON. */
  body: unknown;
  at: Date;
  /** When the response ended or the connection closed; null while it is still open. */
  endedAt: Date | null;
  /** The client closed the connection before the response ended (a `disconnects` entry for streams). */
  droppedByClient: boolean;
  /** The client's TCP port (null if unknown). */
  remotePort: number | null;
}

export type FakeStreamStep =
  | { event: Record<string, unknown> }
  | { ping: true }
  /** Bytes written as they are, for malformed-stream tests. */
  | { raw: string }
  | { waitMs: number };

export type FakeReply =
  | { kind: 'http'; status: number; body: unknown; headers?: Record<string, string> }
  | {
      kind: 'stream';
      steps: FakeStreamStep[];
      /** Overrides the server's ping interval for this stream; 0 = no pings. */
      pingEveryMs?: number;
      /** Keep the connection open after the last step until the client leaves. */
      holdOpen?: boolean;
    };

/** Decides the reply to a validated `POST /query`; `byMarkers()` gives the default behaviour. */
export type FakeScenario = (req: RecordedRequest, byMarkers: () => FakeReply) => FakeReply;

export interface FakeDisconnect {
  prompt: string | null;
  at: Date;
}

export interface FakeSandstormOptions {
  /** Require `Authorization: Bearer <apiKey>` on /query, like Sandstorm's SANDSTORM_API_KEY. */
  apiKey?: string;
  /** Keep-alive comment interval for every stream (default 30 000 like sse-starlette; 0 = off). */
  pingIntervalMs?: number;
}

export interface FakeSandstorm {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly disconnects: number;
  readonly disconnectLog: FakeDisconnect[];
  setScenario(fn: FakeScenario | null): void;
  /** Resolves once `count` disconnects were seen in total; rejects after `timeoutMs`. */
  waitForDisconnects(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const FAKE_RESULT_COST_USD = 0.0123;
export const FAKE_USAGE = {
  input_tokens: 1200,
  output_tokens: 345,
  cache_creation_input_tokens: 10,
  cache_read_input_tokens: 800,
};

const CRLF = '\r\n';

/** The model a fake `system` init event reports for a requested alias. */
export function fakeInitModel(requested: string): string {
  return `fake-${requested}`;
}

function parseMarkers(prompt: string): Map<string, string> {
  const markers = new Map<string, string>();
  for (const m of prompt.matchAll(/\[fake:([a-z-]+)(?:=([^\]]*))?\]/g)) markers.set(m[1] ?? '', m[2] ?? '');
  return markers;
}

/** A value shaped by a JSON Schema; deliberately simpler than the simulated runtime's. */
export function fakeValueForSchema(schema: unknown, label = 'value'): unknown {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0];
  const type = Array.isArray(s['type']) ? s['type'].find((t) => t !== 'null') : s['type'];
  switch (type) {
    case 'object': {
      const props = (s['properties'] ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fakeValueForSchema(v, k)]));
    }
    case 'array': {
      const n = Math.max(typeof s['minItems'] === 'number' ? s['minItems'] : 0, 2);
      return Array.from({ length: n }, (_v, i) => fakeValueForSchema(s['items'], `${label} ${i + 1}`));
    }
    case 'string':
      return `fake ${label}`;
    case 'integer':
    case 'number':
      return typeof s['minimum'] === 'number' ? s['minimum'] : 7;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function httpDetail(status: number): unknown {
  if (status === 401) return { detail: 'Not authenticated' };
  if (status === 422) {
    return {
      detail: [
        { type: 'value_error', loc: ['body'], msg: 'Value error, E2B API key is required', input: {} },
      ],
    };
  }
  return { detail: `fake HTTP ${status}` };
}

/** Cut points for one frame: inside the first multi-byte char, mid-frame, and inside every CRLF. */
function oddPieces(frame: Buffer): Buffer[] {
  const cuts = new Set<number>();
  const firstWide = frame.findIndex((b) => b >= 0x80);
  if (firstWide >= 0) cuts.add(firstWide + 1);
  cuts.add(Math.floor(frame.length / 2));
  for (let i = frame.indexOf('\r\n'); i >= 0; i = frame.indexOf('\r\n', i + 2)) cuts.add(i + 1);
  const sorted = [...cuts].filter((c) => c > 0 && c < frame.length).sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of [...sorted, frame.length]) {
    pieces.push(frame.subarray(start, cut));
    start = cut;
  }
  return pieces;
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves when `res` can take more bytes, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** FastAPI-style validation of the fields a client controls; null when valid. */
function validateQuery(body: unknown): unknown[] | null {
  if (typeof body !== 'object' || body === null) {
    return [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary' }];
  }
  const b = body as Record<string, unknown>;
  const errors: unknown[] = [];
  if (typeof b['prompt'] !== 'string' || b['prompt'].length < 1) {
    errors.push({
      type: 'string_too_short',
      loc: ['body', 'prompt'],
      msg: 'String should have at least 1 character',
    });
  }
  const timeout = b['timeout'];
  if (
    timeout !== undefined &&
    (!Number.isInteger(timeout) || (timeout as number) < 5 || (timeout as number) > 3600)
  ) {
    errors.push({
      type: 'less_than_equal',
      loc: ['body', 'timeout'],
      msg: 'Input should be between 5 and 3600',
    });
  }
  const maxTurns = b['max_turns'];
  if (maxTurns !== undefined && (!Number.isInteger(maxTurns) || (maxTurns as number) < 1)) {
    errors.push({ type: 'greater_than_equal', loc: ['body', 'max_turns'], msg: 'Input should be >= 1' });
  }
  return errors.length > 0 ? errors : null;
}

export async function startFakeSandstorm(opts: FakeSandstormOptions = {}): Promise<FakeSandstorm> {
  const requests: RecordedRequest[] = [];
  const disconnectLog: FakeDisconnect[] = [];
  const flakyCounts = new Map<string, number>();
  const openStreams = new Set<() => void>();
  const sockets = new Set<Socket>();
  let disconnectWaiters: Array<() => void> = [];
  let scenario: FakeScenario | null = null;
  let closing = false;

  function byMarkers(rec: RecordedRequest): FakeReply {
    const body = rec.body as Record<string, unknown>;
    const prompt = String(body['prompt']);
    const model = typeof body['model'] === 'string' ? body['model'] : 'sonnet';
    const markers = parseMarkers(prompt);
    const status = Number(markers.get('http'));
    if (markers.has('http') && Number.isInteger(status))
      return { kind: 'http', status, body: httpDetail(status) };
    if (markers.has('silent')) return { kind: 'stream', steps: [], pingEveryMs: 0, holdOpen: true };

    const sessionId = 'fake-session-0001';
    const cost = markers.has('cost') ? Number(markers.get('cost')) : FAKE_RESULT_COST_USD;
    const init = {
      type: 'system',
      subtype: 'init',
      session_id: sessionId,
      model: fakeInitModel(model),
      tools: ['Bash', 'WebSearch'],
      cwd: '/home/user',
    };
    const assistant = {
      type: 'assistant',
      session_id: sessionId,
      parent_tool_use_id: null,
      message: {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking into it — café ✓ 🏰' },
          { type: 'tool_use', id: 'toolu_fake1', name: 'WebSearch', input: { query: prompt.slice(0, 40) } },
        ],
        usage: { input_tokens: 600, output_tokens: 100 },
      },
    };
    const user = {
      type: 'user',
      session_id: sessionId,
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_fake1', content: 'fake results' }],
      },
    };
    const schema = (body['output_format'] as { schema?: unknown } | undefined)?.schema;
    const common = { duration_ms: 4200, duration_api_ms: 3100, usage: FAKE_USAGE, session_id: sessionId };
    const result = markers.has('max-turns')
      ? {
          type: 'result',
          subtype: 'error_max_turns',
          is_error: true,
          num_turns: body['max_turns'],
          total_cost_usd: cost,
          ...common,
        }
      : {
          type: 'result',
          subtype: 'success',
          is_error: false,
          result: `fake answer to: ${prompt.slice(0, 60)}`,
          ...(schema !== undefined ? { structured_output: fakeValueForSchema(schema, 'output') } : {}),
          num_turns: 2,
          total_cost_usd: cost,
          ...common,
        };
    const failure = (error: string) => ({
      kind: 'stream' as const,
      steps: [
        { event: init },
        { event: { type: 'stderr', data: 'runner: something went wrong' } },
        { event: { type: 'error', error, request_id: 'fa4e0001' } },
      ],
    });

    if (markers.has('error')) return failure('fake sandbox failure');
    if (markers.has('flaky')) {
      const seen = (flakyCounts.get(prompt) ?? 0) + 1;
      flakyCounts.set(prompt, seen);
      const failing = Number(markers.get('flaky'));
      if (seen <= failing) return failure(`fake transient failure (request ${seen} of ${failing} failing)`);
    }
    if (markers.has('no-result')) return { kind: 'stream', steps: [{ event: init }, { event: assistant }] };

    const steps: FakeStreamStep[] = [{ event: init }, { event: assistant }];
    const slowMs = Number(markers.get('slow'));
    if (markers.has('slow')) steps.push({ waitMs: Number.isFinite(slowMs) ? slowMs : 30_000 });
    steps.push({ event: user }, { event: result });
    const fileBytes = Number(markers.get('file'));
    if (markers.has('file') && fileBytes > 0) {
      const data = Buffer.alloc(fileBytes, 0x61).toString('base64');
      steps.push({
        event: {
          type: 'file',
          name: 'out.txt',
          relative_path: 'out.txt',
          path: '/home/user/out.txt',
          size: fileBytes,
          data,
        },
      });
    }
    return markers.has('slow') ? { kind: 'stream', steps, pingEveryMs: 200 } : { kind: 'stream', steps };
  }

  async function stream(
    res: ServerResponse,
    reply: Extract<FakeReply, { kind: 'stream' }>,
    prompt: string | null,
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    let gone = false;
    let wake: (() => void) | null = null;
    const stop = () => {
      gone = true;
      wake?.();
    };
    openStreams.add(stop);
    res.on('close', () => {
      openStreams.delete(stop);
      if (!res.writableEnded && !closing) {
        disconnectLog.push({ prompt, at: new Date() });
        const waiters = disconnectWaiters;
        disconnectWaiters = [];
        waiters.forEach((w) => w());
      }
      stop();
    });

    // Writes are queued so a ping never lands in the middle of a frame's pieces.
    let queue: Promise<void> = Promise.resolve();
    const writeFrame = (text: string) => {
      queue = queue.then(async () => {
        for (const piece of oddPieces(Buffer.from(text, 'utf8'))) {
          if (gone) return;
          if (!res.write(piece)) await drained(res);
          await new Promise<void>((r) => setImmediate(r));
        }
      });
      return queue;
    };
    const pingMs = reply.pingEveryMs ?? opts.pingIntervalMs ?? 30_000;
    const pinger =
      pingMs > 0
        ? setInterval(() => void writeFrame(`: ping - ${new Date().toISOString()}${CRLF}${CRLF}`), pingMs)
        : null;
    try {
      for (const step of reply.steps) {
        if (gone) return;
        if ('waitMs' in step) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, step.waitMs);
            wake = () => (clearTimeout(t), r());
          });
          wake = null;
        } else if ('event' in step) await writeFrame(`data: ${JSON.stringify(step.event)}${CRLF}${CRLF}`);
        else if ('ping' in step) await writeFrame(`: ping - ${new Date().toISOString()}${CRLF}${CRLF}`);
        else await writeFrame(step.raw);
      }
      if (reply.holdOpen && !gone) await new Promise<void>((r) => (wake = r));
    } finally {
      if (pinger) clearInterval(pinger);
      await queue;
      if (!gone) res.end();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const body = parseJson(rawBody);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      rawBody,
      body,
      at: new Date(),
      endedAt: null,
      droppedByClient: false,
      remotePort: req.socket.remotePort ?? null,
    };
    requests.push(rec);
    res.on('close', () => {
      rec.endedAt = new Date();
      rec.droppedByClient = !res.writableEnded && !closing;
    });

    if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || path !== '/query') return sendJson(res, 404, { detail: 'Not Found' });
    if (opts.apiKey) {
      const auth = req.headers.authorization;
      if (!auth?.startsWith('Bearer '))
        return sendJson(res, 401, { detail: 'Not authenticated' }, { 'www-authenticate': 'Bearer' });
      if (auth !== `Bearer ${opts.apiKey}`) {
        return sendJson(
          res,
          401,
          { detail: 'Invalid authentication credentials' },
          { 'www-authenticate': 'Bearer' },
        );
      }
    }
    const invalid = validateQuery(body);
    if (invalid) return sendJson(res, 422, { detail: invalid });

    const reply = scenario ? scenario(rec, () => byMarkers(rec)) : byMarkers(rec);
    if (reply.kind === 'http') return sendJson(res, reply.status, reply.body, reply.headers);
    await stream(res, reply, String((body as Record<string, unknown>)['prompt']));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { detail: String(err) });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    disconnectLog,
    get disconnects() {
      return disconnectLog.length;
    },
    setScenario(fn) {
      scenario = fn;
    },
    waitForDisconnects(count, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`fake Sandstorm saw ${disconnectLog.length} disconnects, waited for ${count}`)),
          timeoutMs,
        );
        const check = () => {
          if (disconnectLog.length >= count) {
            clearTimeout(timer);
            resolve();
          } else disconnectWaiters.push(check);
        };
        check();
      });
    },
    async close() {
      closing = true;
      openStreams.forEach((stop) => stop());
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
