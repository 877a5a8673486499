import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAKE_RESULT_COST_USD,
  fakeInitModel,
  startFakeSandstorm,
  type FakeSandstorm,
} from '../../../../test/support/fake-sandstorm-server';
import { AttemptFailedError, type AttemptRequest, type RuntimeProgress } from './agent-runtime';
import { SandstormRuntime, checkHealth } from './sandstorm-runtime';

function request(overrides: Partial<AttemptRequest> = {}): AttemptRequest {
  return {
    runId: '7d9f7a52-1d4e-4a8e-9d6c-1f0b7c1f2a10',
    stepId: 'research',
    itemIndex: null,
    attempt: 1,
    prompt: 'Find three competitors of Acme',
    model: 'sonnet',
    maxTurns: 3,
    timeoutSeconds: 300,
    outputSchema: null,
    ...overrides,
  };
}

/** Runs an attempt and returns its failure; fails the test if it succeeded. */
async function failureOf(promise: Promise<unknown>): Promise<AttemptFailedError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttemptFailedError);
  return err as AttemptFailedError;
}

/** A port nothing listens on: bind one, then close it. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('SandstormRuntime against a fake Sandstorm over HTTP', () => {
  let fake: FakeSandstorm;
  let progress: RuntimeProgress[];
  const onProgress = (p: RuntimeProgress) => progress.push(p);
  const signal = () => new AbortController().signal;

  beforeEach(async () => {
    fake = await startFakeSandstorm();
    progress = [];
  });
  afterEach(async () => {
    await fake.close();
  });

  it('returns the final text, cost, usage, turns and the model the sandbox reported', async () => {
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: `${fake.url}/` });
    const out = await runtime.run(request(), signal(), onProgress);

    expect(out).toEqual({
      output: 'fake answer to: Find three competitors of Acme',
      costUsd: FAKE_RESULT_COST_USD,
      usage: {
        inputTokens: 1200,
        outputTokens: 345,
        cacheCreationInputTokens: 10,
        cacheReadInputTokens: 800,
      },
      numTurns: 2,
      model: fakeInitModel('sonnet'),
    });
    expect(progress).toEqual([
      { kind: 'message', summary: `system init (model ${fakeInitModel('sonnet')})` },
      { kind: 'message', summary: 'Looking into it — café ✓ 🏰 [tool: WebSearch]' },
      { kind: 'message', summary: 'tool result' },
    ]);

    const [sent] = fake.requests;
    expect(sent?.path).toBe('/query');
    expect(sent?.headers['accept']).toBe('text/event-stream');
    expect(sent?.headers['authorization']).toBeUndefined();
    expect(sent?.body).toEqual({
      prompt: 'Find three competitors of Acme',
      model: 'sonnet',
      max_turns: 3,
      timeout: 300,
    });
  });

  it('sends output_format and returns structured_output when the step has an output schema', async () => {
    const schema = {
      type: 'object',
      properties: { competitors: { type: 'array', items: { type: 'string' } } },
      required: ['competitors'],
    };
    const out = await new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
      request({ outputSchema: schema }),
      signal(),
      onProgress,
    );
    expect(out.output).toEqual({ competitors: ['fake competitors 1', 'fake competitors 2'] });
    expect((fake.requests[0]?.body as Record<string, unknown>)['output_format']).toEqual({
      type: 'json_schema',
      schema,
    });
  });

  it('sends keys and the bearer token only when configured, and clamps timeout to 5..3600', async () => {
    const authed = await startFakeSandstorm({ apiKey: 'k'.repeat(32) });
    try {
      const runtime = new SandstormRuntime({
        endpoint: 'test',
        baseUrl: authed.url,
        apiKey: 'k'.repeat(32),
        anthropicApiKey: 'sk-ant-test',
        e2bApiKey: 'e2b-test',
      });
      await runtime.run(request({ timeoutSeconds: 1 }), signal(), onProgress);
      await runtime.run(request({ timeoutSeconds: 99_999 }), signal(), onProgress);
      expect(authed.requests.map((r) => r.headers['authorization'])).toEqual([
        `Bearer ${'k'.repeat(32)}`,
        `Bearer ${'k'.repeat(32)}`,
      ]);
      expect(authed.requests.map((r) => (r.body as Record<string, unknown>)['timeout'])).toEqual([5, 3600]);
      expect(authed.requests[0]?.body).toMatchObject({
        anthropic_api_key: 'sk-ant-test',
        e2b_api_key: 'e2b-test',
      });

      const noKey = new SandstormRuntime({ endpoint: 'test', baseUrl: authed.url });
      const err = await failureOf(noKey.run(request(), signal(), onProgress));
      expect(err.message).toBe("Sandstorm endpoint 'test' rejected the request: HTTP 401");
      expect(authed.requests[2]?.body).not.toHaveProperty('anthropic_api_key');
    } finally {
      await authed.close();
    }
  });

  it('fails with the text of an error event', async () => {
    const err = await failureOf(
      new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
        request({ prompt: 'x [fake:error]' }),
        signal(),
        onProgress,
      ),
    );
    expect(err.message).toBe('Sandstorm error: fake sandbox failure (request fa4e0001)');
    expect(err.model).toBe(fakeInitModel('sonnet'));
  });

  it('fails on a result with is_error but keeps the cost it incurred', async () => {
    const err = await failureOf(
      new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
        request({ prompt: 'x [fake:max-turns] [fake:cost=0.4]' }),
        signal(),
        onProgress,
      ),
    );
    expect(err.message).toContain('max_turns (3)');
    expect(err.costUsd).toBe(0.4);
    expect(err.usage.inputTokens).toBe(1200);
    expect(err.numTurns).toBe(3);
    expect(err.model).toBe(fakeInitModel('sonnet'));
  });

  it('fails when the stream ends without a result', async () => {
    const err = await failureOf(
      new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
        request({ prompt: 'x [fake:no-result]' }),
        signal(),
        onProgress,
      ),
    );
    expect(err.message).toMatch(/^Sandstorm stream ended without a result/);
  });

  it('reports a non-2xx answer with its status only, never the body', async () => {
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url });
    const err = await failureOf(runtime.run(request({ prompt: 'x [fake:http=422]' }), signal(), onProgress));
    expect(err.message).toBe("Sandstorm endpoint 'test' rejected the request: HTTP 422");

    fake.setScenario(() => ({ kind: 'http', status: 503, body: 'upstream overloaded sk-secret-in-body' }));
    const err503 = await failureOf(runtime.run(request(), signal(), onProgress));
    expect(err503.message).toBe("Sandstorm endpoint 'test' rejected the request: HTTP 503");
  });

  it('does not follow a redirect (the credentials would travel with it)', async () => {
    const elsewhere = await startFakeSandstorm();
    try {
      fake.setScenario(() => ({
        kind: 'http',
        status: 307,
        body: '',
        headers: { location: `${elsewhere.url}/query` },
      }));
      const runtime = new SandstormRuntime({
        endpoint: 'test',
        baseUrl: fake.url,
        anthropicApiKey: 'sk-ant-x',
      });
      const err = await failureOf(runtime.run(request(), signal(), onProgress));
      expect(err.message).toBe(
        "Sandstorm endpoint 'test' rejected the request: HTTP 307 (redirects are not followed)",
      );
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('names the endpoint, not its URL, when nothing listens there', async () => {
    const url = await closedPortUrl();
    const err = await failureOf(
      new SandstormRuntime({ endpoint: 'gpu', baseUrl: url }).run(request(), signal(), onProgress),
    );
    expect(err.message).toBe(
      "cannot reach Sandstorm endpoint 'gpu': connection refused (is Sandstorm running there?)",
    );
    expect(err.message).not.toContain(url);
  });

  it('closes the connection when aborted, rejecting with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('step timed out');
    const running = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
      request({ prompt: 'x [fake:slow=600000]' }),
      controller.signal,
      (p) => {
        // Abort once the stream is flowing, i.e. the sandbox would be running.
        if (p.kind === 'ping') controller.abort(reason);
      },
    );
    await expect(running).rejects.toBe(reason);
    await fake.waitForDisconnects(1);
    expect(fake.disconnects).toBe(1);
  });

  it('rejects with an AbortError when aborted without a reason, and sends nothing if already aborted', async () => {
    const controller = new AbortController();
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url });
    const running = runtime.run(request({ prompt: 'x [fake:slow=600000]' }), controller.signal, () =>
      controller.abort(),
    );
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    await fake.waitForDisconnects(1);

    await expect(runtime.run(request(), controller.signal, onProgress)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('parses LF, CR and multi-line data framing split across writes', async () => {
    fake.setScenario(() => ({
      kind: 'stream',
      steps: [
        { raw: ': ping - 2026-02-15 10:00:00\n\n' },
        { raw: 'data: {"type":"system","subtype":"init","model":"m-1"}\r\r' },
        { raw: 'data: not json\r\n\r\n' },
        {
          raw: 'data: {"type":"stderr","data":"noise"}\r\n\r\ndata: {"type":"warning","message":"dropped"}\n\n',
        },
        {
          raw: 'data: {"type":"result","subtype":"success","is_error":false,\r\ndata: "result":"ok ✓","num_turns":1,"cost_usd":0.5}\r\n\r\n',
        },
      ],
    }));
    const out = await new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
      request(),
      signal(),
      onProgress,
    );
    expect(out).toMatchObject({ output: 'ok ✓', costUsd: 0.5, numTurns: 1, model: 'm-1' });
    expect(out.usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    expect(progress).toEqual([{ kind: 'ping' }, { kind: 'message', summary: 'system init (model m-1)' }]);
  });

  it('takes the first terminal event and drains the rest, including large file events', async () => {
    fake.setScenario((_req, byMarkers) => {
      const reply = byMarkers();
      if (reply.kind !== 'stream') return reply;
      return { ...reply, steps: [...reply.steps, { event: { type: 'error', error: 'late error' } }] };
    });
    const out = await new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
      request({ prompt: 'x [fake:file=3000000]' }),
      signal(),
      onProgress,
    );
    expect(out.output).toBe('fake answer to: x [fake:file=3000000]');
    expect(fake.disconnects).toBe(0);
  });

  it('keeps file events after the result within MAX_RUNTIME_FILE_BYTES: a 20 MB file, bytes intact', async () => {
    const out = await new SandstormRuntime({
      endpoint: 'test',
      baseUrl: fake.url,
      maxEventBytes: 64 * 1024,
      maxFileBytes: 50 * 1024 * 1024,
    }).run(request({ prompt: 'x [fake:file=20000000]' }), signal(), onProgress);
    expect(out.output).toBe('fake answer to: x [fake:file=20000000]');
    expect(out.files).toHaveLength(1);
    expect(out.files![0]!.name).toBe('out.txt');
    expect(out.files![0]!.data.equals(Buffer.alloc(20_000_000, 0x61))).toBe(true);
    expect(out.filesDropped).toBe(0);
  });

  it('drops a file above the budget but keeps the result', async () => {
    const out = await new SandstormRuntime({
      endpoint: 'test',
      baseUrl: fake.url,
      maxFileBytes: 1_000_000,
    }).run(request({ prompt: 'x [fake:file=3000000]' }), signal(), onProgress);
    expect(out.output).toBe('fake answer to: x [fake:file=3000000]');
    expect(out.files ?? []).toEqual([]);
    expect(out.filesDropped).toBe(1);
  });

  it('returns the result when a server keeps pinging after it instead of closing', async () => {
    fake.setScenario((_req, byMarkers) => {
      const reply = byMarkers();
      return reply.kind === 'stream' ? { ...reply, pingEveryMs: 50, holdOpen: true } : reply;
    });
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url, idleTimeoutMs: 300 });
    const out = await runtime.run(request(), signal(), onProgress);
    expect(out.output).toBe('fake answer to: Find three competitors of Acme');
  });

  it('gives up when nothing arrives for idleTimeoutMs, and hangs up', async () => {
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url, idleTimeoutMs: 300 });
    const err = await failureOf(runtime.run(request({ prompt: 'x [fake:silent]' }), signal(), onProgress));
    expect(err.message).toContain('sent nothing for 0.3 s');
    await fake.waitForDisconnects(1);
  });

  it('treats keep-alive pings as activity', async () => {
    // Pings every 200 ms keep a 1 s idle limit from firing during a 1.5 s run.
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url, idleTimeoutMs: 1000 });
    const out = await runtime.run(request({ prompt: 'x [fake:slow=1500]' }), signal(), onProgress);
    expect(out.output).toBe('fake answer to: x [fake:slow=1500]');
    expect(progress.filter((p) => p.kind === 'ping').length).toBeGreaterThan(0);
  });
});

describe('checkHealth', () => {
  it('is true for a live Sandstorm and false for a closed port', async () => {
    const fake = await startFakeSandstorm();
    try {
      expect(await checkHealth(fake.url)).toBe(true);
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
    } finally {
      await fake.close();
    }
    expect(await checkHealth(await closedPortUrl())).toBe(false);
  });
});
