import { startFakeSandstorm, type FakeSandstorm } from '../../../../test/support/fake-sandstorm-server';
import { checkedOutput } from '../steps/output-guard.util';
import {
  AttemptFailedError,
  OutputTooLargeError,
  RuntimeStreamTooLargeError,
  type AttemptRequest,
} from './agent-runtime';
import { SandstormRuntime } from './sandstorm-runtime';
import { SimulatedRuntime } from './simulated-runtime';
import { SseParser } from './sse-parser';

function request(overrides: Partial<AttemptRequest> = {}): AttemptRequest {
  return {
    runId: '7d9f7a52-1d4e-4a8e-9d6c-1f0b7c1f2a10',
    stepId: 'research',
    itemIndex: null,
    attempt: 1,
    prompt: 'go',
    model: 'sonnet',
    maxTurns: 3,
    timeoutSeconds: 300,
    outputSchema: null,
    simulation: { latencyMs: 0 },
    ...overrides,
  };
}
const noProgress = () => undefined;
const signal = () => new AbortController().signal;

async function failureOf(promise: Promise<unknown>): Promise<AttemptFailedError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttemptFailedError);
  return err as AttemptFailedError;
}

describe('SseParser limits', () => {
  it('throws RuntimeStreamTooLargeError once a line passes the limit, across chunks', () => {
    const parser = new SseParser(1000);
    parser.push('data: ' + 'x'.repeat(500));
    expect(() => parser.push('y'.repeat(600))).toThrow(RuntimeStreamTooLargeError);
  });

  it('bounds the data of one event spread over many lines', () => {
    const parser = new SseParser(1000);
    expect(() => {
      for (let i = 0; i < 20; i++) parser.push(`data: ${'z'.repeat(100)}\n`);
    }).toThrow(RuntimeStreamTooLargeError);
  });

  it('parses events within the limit as before', () => {
    const parser = new SseParser(1000);
    expect(parser.push('data: {"a":1}\n\n')).toEqual([{ kind: 'event', data: '{"a":1}', event: '', id: '' }]);
  });
});

describe('simulated runtime output budget', () => {
  it('fails with OUTPUT_TOO_LARGE on a huge minItems instead of building it', async () => {
    const runtime = new SimulatedRuntime({ maxOutputBytes: 64 * 1024 });
    const outputSchema = { type: 'array', minItems: 1_000_000_000, items: { type: 'string' } };
    const err = await failureOf(runtime.run(request({ outputSchema }), signal(), noProgress));
    expect(err).toBeInstanceOf(OutputTooLargeError);
    expect(err.kind).toBe('OUTPUT_TOO_LARGE');
  });

  it('fails with OUTPUT_TOO_LARGE on a huge minLength without padding the string', async () => {
    const runtime = new SimulatedRuntime({ maxOutputBytes: 64 * 1024 });
    const outputSchema = { type: 'object', properties: { s: { type: 'string', minLength: 2_000_000_000 } } };
    const err = await failureOf(runtime.run(request({ outputSchema }), signal(), noProgress));
    expect(err.kind).toBe('OUTPUT_TOO_LARGE');
  });

  it('stops nested fan-outs of arrays (1000^16 elements) as soon as the budget runs out', async () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 16; i++) schema = { type: 'array', minItems: 1000, items: schema };
    const runtime = new SimulatedRuntime({ maxOutputBytes: 64 * 1024 });
    const err = await failureOf(runtime.run(request({ outputSchema: schema }), signal(), noProgress));
    expect(err.kind).toBe('OUTPUT_TOO_LARGE');
  });

  it('still generates ordinary outputs', async () => {
    const runtime = new SimulatedRuntime({ maxOutputBytes: 64 * 1024 });
    const outputSchema = { type: 'array', minItems: 5, items: { type: 'integer' } };
    const out = await runtime.run(request({ outputSchema }), signal(), noProgress);
    expect(out.output).toHaveLength(5);
  });
});

describe('checkedOutput', () => {
  const usage = {
    inputTokens: 2 ** 40,
    outputTokens: 5,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  };

  it('cleans NUL, lone surrogates and absurd numbers', () => {
    const checked = checkedOutput(
      { output: { text: 'a\u0000b\uD800' }, costUsd: NaN, usage, numTurns: -1, model: 'm' },
      1024,
    );
    expect(checked).toEqual({
      kind: 'ok',
      output: {
        output: { text: 'a\uFFFDb\uFFFD' },
        costUsd: 0,
        usage: { ...usage, inputTokens: 2 ** 31 - 1 },
        numTurns: 0,
        model: 'm',
      },
    });
  });

  it('fails an output above the limit with OUTPUT_TOO_LARGE and keeps its cost', () => {
    const checked = checkedOutput(
      { output: 'x'.repeat(2000), costUsd: 0.3, usage, numTurns: 1, model: 'm' },
      1024,
    );
    expect(checked).toMatchObject({
      kind: 'failed',
      failure: {
        kind: 'OUTPUT_TOO_LARGE',
        costUsd: 0.3,
        error: 'the output is 2002 bytes as JSON, above the limit of 1024 (MAX_STEP_OUTPUT_BYTES)',
      },
    });
  });
});

describe('SandstormRuntime stream limits (fake Sandstorm over HTTP)', () => {
  let fake: FakeSandstorm;
  beforeEach(async () => {
    fake = await startFakeSandstorm({ pingIntervalMs: 0 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('fails with RUNTIME_STREAM_TOO_LARGE on a line that never ends, and hangs up', async () => {
    fake.setScenario(() => ({
      kind: 'stream',
      steps: Array.from({ length: 40 }, () => ({ raw: 'x'.repeat(64 * 1024) })),
      holdOpen: true,
    }));
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url, maxEventBytes: 256 * 1024 });
    const err = await failureOf(runtime.run(request(), signal(), noProgress));
    expect(err.kind).toBe('RUNTIME_STREAM_TOO_LARGE');
    expect(err.message).toMatch(/MAX_RUNTIME_EVENT_BYTES/);
    await fake.waitForDisconnects(1);
  });

  it('fails with RUNTIME_STREAM_TOO_LARGE when the whole stream passes its limit without a result', async () => {
    fake.setScenario(() => ({
      kind: 'stream',
      steps: Array.from({ length: 200 }, () => ({
        event: { type: 'assistant', message: { content: 'y'.repeat(10_000) } },
      })),
      holdOpen: true,
    }));
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url, maxStreamBytes: 256 * 1024 });
    const err = await failureOf(runtime.run(request(), signal(), noProgress));
    expect(err.kind).toBe('RUNTIME_STREAM_TOO_LARGE');
    expect(err.message).toMatch(/MAX_RUNTIME_STREAM_BYTES/);
  });

  it('reads at most MAX_RUNTIME_ERROR_BODY_BYTES of an error response', async () => {
    fake.setScenario(() => ({ kind: 'http', status: 500, body: 'e'.repeat(5_000_000) }));
    const runtime = new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url, maxErrorBodyBytes: 1024 });
    const err = await failureOf(runtime.run(request(), signal(), noProgress));
    expect(err.kind).toBe('runtime_error');
    expect(err.message.length).toBeLessThan(3000);
  });

  it('returns a hostile result that checkedOutput then makes storable', async () => {
    fake.setScenario(() => ({
      kind: 'stream',
      steps: [
        {
          event: {
            type: 'result',
            subtype: 'success',
            is_error: false,
            result: 'nul \u0000 and lone \uD800 surrogate',
            total_cost_usd: 0.25,
            num_turns: 2 ** 40,
            usage: { input_tokens: 2 ** 40, output_tokens: 2 ** 35 },
          },
        },
      ],
    }));
    const out = await new SandstormRuntime({ endpoint: 'test', baseUrl: fake.url }).run(
      request(),
      signal(),
      noProgress,
    );
    const checked = checkedOutput(out, 1024);
    expect(checked).toMatchObject({
      kind: 'ok',
      output: {
        costUsd: 0.25,
        numTurns: 2 ** 31 - 1,
        usage: { inputTokens: 2 ** 31 - 1, outputTokens: 2 ** 31 - 1 },
      },
    });
    if (checked.kind === 'ok') {
      expect(checked.output.output).not.toContain('\u0000');
      expect(JSON.stringify(checked.output.output)).not.toMatch(/\\ud800/i);
    }
  });
});
