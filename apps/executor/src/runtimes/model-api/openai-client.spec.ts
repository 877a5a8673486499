import {
  FAKE_OPENAI_USAGE,
  startFakeModelProvider,
  type FakeModelProvider,
} from '../../../../../test/support/fake-model-provider';
import { AttemptFailedError } from '../agent-runtime';
import { attempt, TEST_LIMITS, testRegistry } from './model-api-testing';
import { OpenAiClient } from './openai-client';
import { ProviderCallError } from './provider-call-error';

async function failureOf(promise: Promise<unknown>): Promise<AttemptFailedError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttemptFailedError);
  return err as AttemptFailedError;
}

describe('OpenAiClient against a fake Chat Completions server over HTTP', () => {
  let fake: FakeModelProvider;
  const client = new OpenAiClient(TEST_LIMITS);
  const signal = () => new AbortController().signal;
  const noProgress = () => undefined;
  const entry = (alias = 'gpt', models = {}) => testRegistry(fake.url, models).models.get(alias)!;
  const schema = {
    type: 'object',
    properties: { label: { type: 'string' }, score: { type: 'number' } },
    required: ['label', 'score'],
  };

  beforeEach(async () => {
    fake = await startFakeModelProvider();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('streams a text answer; cached prompt tokens are priced as cache reads', async () => {
    const answer = await client.call(entry(), 'sk-openai', attempt(), signal(), noProgress);

    expect(answer.output).toBe('fake answer to: Classify this ticket — café ✓ 🏰');
    expect(answer.usage).toEqual({
      inputTokens: FAKE_OPENAI_USAGE.prompt - FAKE_OPENAI_USAGE.cached,
      outputTokens: FAKE_OPENAI_USAGE.completion,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: FAKE_OPENAI_USAGE.cached,
    });
    // gpt prices: $2.50 input, $10 output, $1.25 cached input per million.
    expect(answer.costUsd).toBeCloseTo((1000 * 2.5 + 500 * 10 + 200 * 1.25) / 1e6, 12);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-openai');
    expect(sent.body).toMatchObject({
      model: 'gpt-test',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Classify this ticket' }],
    });
  });

  it('sends response_format json_schema where the endpoint supports it and validates the answer', async () => {
    const answer = await client.call(entry(), 'k', attempt({ outputSchema: schema }), signal(), noProgress);
    expect(answer.output).toEqual({ label: 'fake', score: 7 });
    expect(fake.requests[0]!.body['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema, strict: false },
    });
  });

  it('asks in the prompt where json_schema is not supported (a local server without a key)', async () => {
    const answer = await client.call(
      entry('llama'),
      null,
      attempt({ outputSchema: schema }),
      signal(),
      noProgress,
    );
    expect(answer.output).toEqual({ label: 'fake', score: 7 });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).not.toHaveProperty('response_format');
    expect(JSON.stringify(sent.body['messages'])).toContain('matches this JSON Schema');
  });

  it('a non-JSON or non-conforming answer is a failed attempt listing the problems', async () => {
    const notJson = await failureOf(
      client.call(
        entry('llama'),
        null,
        attempt({ prompt: '[fake:not-json]', outputSchema: schema }),
        signal(),
        noProgress,
      ),
    );
    expect(notJson.message).toContain('the answer is not JSON');
    const bad = await failureOf(
      client.call(
        entry(),
        'k',
        attempt({ prompt: '[fake:bad-output]', outputSchema: schema }),
        signal(),
        noProgress,
      ),
    );
    expect(bad.message).toMatch(
      /does not match output_schema: \/label should be string; \/score should be number/,
    );
    expect(bad.costUsd).toBeGreaterThan(0);
  });

  it('429 with retry-after is retryable and overloaded', async () => {
    const err = (await failureOf(
      client.call(
        entry('g-429', { 'g-429': { endpoint: 'gpt', id: 'g-429' } }),
        'k',
        attempt(),
        signal(),
        noProgress,
      ),
    )) as ProviderCallError;
    expect({ retryable: err.retryable, overloaded: err.overloaded, retryAfterMs: err.retryAfterMs }).toEqual({
      retryable: true,
      overloaded: true,
      retryAfterMs: 1000,
    });
  });

  it('a 500 is retryable without cooling the model down', async () => {
    const err = (await failureOf(
      client.call(
        entry('g-500', { 'g-500': { endpoint: 'gpt', id: 'g-500' } }),
        'k',
        attempt(),
        signal(),
        noProgress,
      ),
    )) as ProviderCallError;
    expect({ retryable: err.retryable, overloaded: err.overloaded }).toEqual({
      retryable: true,
      overloaded: false,
    });
  });

  it('an error chunk after output started is final', async () => {
    const err = (await failureOf(
      client.call(entry(), 'k', attempt({ prompt: '[fake:mid-error]' }), signal(), noProgress),
    )) as ProviderCallError;
    expect(err.retryable).toBe(false);
  });

  it('a stream cut before a finish reason fails; malformed lines are skipped', async () => {
    const cut = await failureOf(
      client.call(entry(), 'k', attempt({ prompt: '[fake:cut]' }), signal(), noProgress),
    );
    expect(cut.message).toContain('ended before the answer was complete');
    const answer = await client.call(
      entry(),
      'k',
      attempt({ prompt: '[fake:garbage]' }),
      signal(),
      noProgress,
    );
    expect(answer.output).toContain('fake answer to');
  });
});
