import { costOf } from '@sandcastle/config';
import {
  FAKE_USAGE,
  startFakeModelProvider,
  type FakeModelProvider,
} from '../../../../../test/support/fake-model-provider';
import { AttemptFailedError, type RuntimeProgress } from '../agent-runtime';
import { ANTHROPIC_VERSION, AnthropicClient, OUTPUT_TOOL } from './anthropic-client';
import { attempt, PRICES, TEST_LIMITS, testRegistry } from './model-api-testing';
import { ProviderCallError } from './provider-call-error';

async function failureOf(promise: Promise<unknown>): Promise<AttemptFailedError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttemptFailedError);
  return err as AttemptFailedError;
}

describe('AnthropicClient against a fake Messages API over HTTP', () => {
  let fake: FakeModelProvider;
  let progress: RuntimeProgress[];
  const onProgress = (p: RuntimeProgress) => progress.push(p);
  const client = new AnthropicClient(TEST_LIMITS);
  const signal = () => new AbortController().signal;
  const entry = (alias = 'sonnet', models = {}) => testRegistry(fake.url, models).models.get(alias)!;

  beforeEach(async () => {
    fake = await startFakeModelProvider();
    progress = [];
  });
  afterEach(async () => {
    await fake.close();
  });

  it('streams a text answer; usage becomes tokens and the cost follows the price table', async () => {
    const answer = await client.call(entry(), 'sk-test', attempt(), signal(), onProgress);

    expect(answer.output).toBe('fake answer to: Classify this ticket — café ✓ 🏰');
    expect(answer.usage).toEqual({
      inputTokens: FAKE_USAGE.input,
      outputTokens: FAKE_USAGE.output,
      cacheCreationInputTokens: FAKE_USAGE.cacheWrite,
      cacheReadInputTokens: FAKE_USAGE.cacheRead,
    });
    // 1000 × $3 + 500 × $15 + 100 × $3.75 + 200 × $0.30, per million tokens.
    expect(answer.costUsd).toBeCloseTo((1000 * 3 + 500 * 15 + 100 * 3.75 + 200 * 0.3) / 1e6, 12);
    expect(answer.costUsd).toBeCloseTo(
      costOf(
        { input: PRICES.claude.input, output: PRICES.claude.output, cacheWrite: 3.75, cacheRead: 0.3 },
        answer.usage,
      ),
      12,
    );
    expect(answer.model).toBe('claude-sonnet-20250101');
    expect(progress.length).toBeGreaterThan(0);

    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-test');
    expect(sent.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(sent.body).toMatchObject({
      model: 'claude-sonnet',
      stream: true,
      max_tokens: 8192,
      messages: [{ role: 'user', content: 'Classify this ticket' }],
    });
    expect(sent.body).not.toHaveProperty('tools');
  });

  it('enforces output_schema through a forced tool and returns the tool input', async () => {
    const schema = { type: 'object', properties: { label: { type: 'string' }, score: { type: 'number' } } };
    const answer = await client.call(entry(), 'k', attempt({ outputSchema: schema }), signal(), onProgress);

    expect(answer.output).toEqual({ label: 'fake', score: 7 });
    expect(fake.requests[0]!.body).toMatchObject({
      tools: [{ name: OUTPUT_TOOL, input_schema: schema }],
      tool_choice: { type: 'tool', name: OUTPUT_TOOL },
    });
  });

  it('wraps a non-object schema in {value} and unwraps the answer', async () => {
    const schema = { type: 'array', items: { type: 'string' } };
    const answer = await client.call(entry(), 'k', attempt({ outputSchema: schema }), signal(), onProgress);
    expect(answer.output).toEqual(['fake']);
  });

  it('fails the attempt with the validation problems when the answer breaks the schema, keeping its cost', async () => {
    const schema = {
      type: 'object',
      properties: { label: { type: 'string' }, score: { type: 'number' } },
      required: ['label', 'score'],
    };
    const err = await failureOf(
      client.call(
        entry(),
        'k',
        attempt({ prompt: '[fake:bad-output]', outputSchema: schema }),
        signal(),
        onProgress,
      ),
    );
    expect(err).not.toBeInstanceOf(ProviderCallError);
    expect(err.message).toContain('does not match output_schema');
    expect(err.message).toContain('/label should be string');
    expect(err.message).toContain('/score should be number');
    expect(err.costUsd).toBeGreaterThan(0);
    expect(err.usage.outputTokens).toBe(FAKE_USAGE.output);
  });

  it.each([
    ['-429', 429, 'rate_limit_error', 1000],
    ['-overloaded', 529, 'overloaded_error', 1000],
  ])('a %s answer is retryable, overloaded, and carries retry-after', async (suffix, status, type, ms) => {
    const err = await failureOf(
      client.call(
        entry(`m${suffix}`, { [`m${suffix}`]: { endpoint: 'claude', id: `m${suffix}` } }),
        'k',
        attempt(),
        signal(),
        onProgress,
      ),
    );
    expect(err).toBeInstanceOf(ProviderCallError);
    const e = err as ProviderCallError;
    expect({ retryable: e.retryable, overloaded: e.overloaded, retryAfterMs: e.retryAfterMs }).toEqual({
      retryable: true,
      overloaded: true,
      retryAfterMs: ms,
    });
    expect(e.message).toBe(
      `model 'm${suffix}' (anthropic endpoint 'claude') answered HTTP ${status} (${type})`,
    );
  });

  it('a 401 is not retryable and never echoes the key or the URL', async () => {
    const err = (await failureOf(
      client.call(
        entry('m-401', { 'm-401': { endpoint: 'claude', id: 'm-401' } }),
        'sk-secret',
        attempt(),
        signal(),
        onProgress,
      ),
    )) as ProviderCallError;
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain('sk-secret');
    expect(err.message).not.toContain('127.0.0.1');
  });

  it('an overloaded error event after output started is not retryable (no switch mid-answer)', async () => {
    const err = (await failureOf(
      client.call(entry(), 'k', attempt({ prompt: '[fake:mid-error]' }), signal(), onProgress),
    )) as ProviderCallError;
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('overloaded_error');
    // The input tokens were billed.
    expect(err.costUsd).toBeCloseTo((1000 * 3 + 1 * 15 + 100 * 3.75 + 200 * 0.3) / 1e6, 12);
  });

  it('a stream that ends without message_stop fails', async () => {
    const err = await failureOf(
      client.call(entry(), 'k', attempt({ prompt: '[fake:cut]' }), signal(), onProgress),
    );
    expect(err.message).toContain('ended before message_stop');
  });

  it('skips malformed lines and unknown events of a hostile stream', async () => {
    const answer = await client.call(
      entry(),
      'k',
      attempt({ prompt: '[fake:garbage]' }),
      signal(),
      onProgress,
    );
    expect(answer.output).toContain('fake answer to: [fake:garbage]');
  });

  it('refuses an event above the size limit', async () => {
    const err = await failureOf(
      client.call(entry(), 'k', attempt({ prompt: '[fake:huge=2000000]' }), signal(), onProgress),
    );
    // The stable kind survives; the tokens announced before the breach are still charged.
    expect(err.kind).toBe('RUNTIME_STREAM_TOO_LARGE');
    expect(err.message).toContain('MAX_RUNTIME_EVENT_BYTES');
    expect(err.costUsd).toBeGreaterThan(0);
  });

  it('gives up on a silent stream after the idle timeout and closes the connection', async () => {
    const err = (await failureOf(
      client.call(entry(), 'k', attempt({ prompt: '[fake:silent]' }), signal(), onProgress),
    )) as ProviderCallError;
    expect(err.message).toContain('sent nothing for 1.5 s');
    expect(err.retryable).toBe(true);
    await waitFor(() => fake.disconnects === 1);
  });

  it('an abort rejects with its reason at once and closes the connection', async () => {
    const controller = new AbortController();
    const call = client.call(
      entry(),
      'k',
      attempt({ prompt: '[fake:slow=10000]' }),
      controller.signal,
      onProgress,
    );
    await waitFor(() => fake.requests.length === 1);
    const started = Date.now();
    controller.abort(new Error('cancelled by user'));
    await expect(call).rejects.toThrow('cancelled by user');
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => fake.disconnects === 1);
  });

  it('a refused connection is retryable', async () => {
    const url = fake.url;
    await fake.close();
    const err = (await failureOf(
      client.call(testRegistry(url).models.get('sonnet')!, 'k', attempt(), signal(), onProgress),
    )) as ProviderCallError;
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('connection refused');
    fake = await startFakeModelProvider();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
