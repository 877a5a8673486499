import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { ModelRuntime } from '@sandcastle/config';
import { natsNames } from '@sandcastle/contracts';
import { createLogger } from '@sandcastle/observability';
import {
  startFakeModelProvider,
  type FakeModelProvider,
} from '../../../../../test/support/fake-model-provider';
import { AnthropicClient } from './anthropic-client';
import type { ModelApiClient } from './model-api-client';
import { attempt, TEST_LIMITS, testRegistry } from './model-api-testing';
import { ChainFailedError, ModelChainRunner } from './model-chain-runner';
import { modelCooldownsBucket, NatsModelCooldowns } from './model-cooldowns';
import { OpenAiClient } from './openai-client';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

const MODELS = {
  'claude-busy': { endpoint: 'claude', id: 'claude-busy-overloaded' },
  'claude-limited': { endpoint: 'claude', id: 'claude-limited-429' },
  'claude-broken': { endpoint: 'claude', id: 'claude-broken-500' },
  'claude-nokey': { endpoint: 'nokey', id: 'claude-nokey' },
  'claude-denied': { endpoint: 'claude', id: 'claude-denied-401' },
};

describe('ModelChainRunner (fake providers over HTTP, cooldowns in a real NATS KV bucket)', () => {
  const names = natsNames(`mc${randomBytes(4).toString('hex')}`);
  const logger = createLogger('executor', 'error');
  let nc: NatsConnection;
  let fake: FakeModelProvider;
  const keys = new Map([
    ['TEST_ANTHROPIC_KEY', 'sk-ant'],
    ['TEST_OPENAI_KEY', 'sk-oai'],
  ]);
  const clients = new Map<ModelRuntime, ModelApiClient>([
    ['anthropic', new AnthropicClient(TEST_LIMITS)],
    ['openai', new OpenAiClient(TEST_LIMITS)],
  ]);

  /** A runner as one executor replica builds it: its own KV handle on the shared bucket. */
  async function replica(retries = 0): Promise<ModelChainRunner> {
    const cooldowns = await NatsModelCooldowns.open(nc, names, logger);
    return new ModelChainRunner(testRegistry(fake.url, MODELS), keys, clients, cooldowns, {
      defaultCooldownMs: 30_000,
      retries,
    });
  }
  const run = (runner: ModelChainRunner, chain: string[], timeoutSeconds = 30) =>
    runner.run(chain, attempt({ timeoutSeconds }), new AbortController().signal, () => undefined);

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
  });
  beforeEach(async () => {
    fake = await startFakeModelProvider();
  });
  afterEach(async () => {
    await fake.close();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(`KV_${modelCooldownsBucket(names)}`).catch(() => undefined);
  });
  afterAll(async () => {
    await nc.close();
  });

  it('moves from an overloaded model to the next, records every try, and the cooldown is shared', async () => {
    const first = await replica();
    const answer = await run(first, ['claude-busy', 'gpt']);

    expect(answer.runtime).toBe('openai');
    expect(answer.model).toBe('gpt-test');
    expect(answer.tries).toEqual([
      {
        model: 'claude-busy',
        runtime: 'anthropic',
        outcome: 'failed',
        error: "model 'claude-busy' (anthropic endpoint 'claude') answered HTTP 529 (overloaded_error)",
        costUsd: 0,
      },
      { model: 'gpt', runtime: 'openai', outcome: 'completed', error: null, costUsd: answer.costUsd },
    ]);
    // The cost total is the sum of the tries, at the price table's gpt prices.
    expect(answer.costUsd).toBeCloseTo((1000 * 2.5 + 500 * 10 + 200 * 1.25) / 1e6, 12);

    // Another replica skips the cooling model without calling it.
    const calls = fake.requests.length;
    const second = await replica();
    const again = await run(second, ['claude-busy', 'gpt']);
    expect(again.tries.map((t) => [t.model, t.outcome, t.error?.includes('cooling down') ?? false])).toEqual([
      ['claude-busy', 'failed', true],
      ['gpt', 'completed', false],
    ]);
    expect(fake.requests.slice(calls).map((r) => r.body['model'])).toEqual(['gpt-test']);
  });

  it('skips a model whose key is not configured', async () => {
    const answer = await run(await replica(), ['claude-nokey', 'sonnet']);
    expect(answer.runtime).toBe('anthropic');
    expect(answer.tries[0]).toEqual({
      model: 'claude-nokey',
      runtime: 'anthropic',
      outcome: 'failed',
      error: "model 'claude-nokey' skipped: TEST_UNSET_KEY is not configured",
      costUsd: 0,
    });
    expect(fake.requests.map((r) => r.body['model'])).toEqual(['claude-sonnet']);
  });

  it('a single model answering 429 is called again after retry-after', async () => {
    const runner = await replica(1);
    const started = Date.now();
    const err = await run(runner, ['claude-limited']).catch((e: unknown) => e);
    // The fake always answers 429: two calls, one second apart (retry-after: 1).
    expect(err).toBeInstanceOf(ChainFailedError);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.at.getTime() - fake.requests[0]!.at.getTime()).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(5000);
    const failed = err as ChainFailedError;
    expect(failed.tries.map((t) => t.outcome)).toEqual(['failed', 'failed']);
    expect(failed.message).toContain('every model of the chain failed');
  });

  it('a flaky model succeeds on the second round after its retry-after', async () => {
    const runner = await replica(2);
    const answer = await runner.run(
      ['sonnet'],
      attempt({ prompt: 'once [fake:flaky=1]' }),
      new AbortController().signal,
      () => undefined,
    );
    expect(answer.tries.map((t) => t.outcome)).toEqual(['failed', 'completed']);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not wait past the attempt timeout', async () => {
    const runner = await replica(3);
    const err = await run(runner, ['claude-limited'], 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainFailedError);
    expect((err as Error).message).toContain("past the step's timeout");
    expect(fake.requests).toHaveLength(1);
  });

  it('a non-retryable failure ends the chain at once', async () => {
    const err = await run(await replica(), ['claude-denied', 'gpt']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainFailedError);
    expect((err as ChainFailedError).runtime).toBe('anthropic');
    expect(fake.requests.map((r) => r.body['model'])).toEqual(['claude-denied-401']);
  });

  it('a 5xx moves on without a cooldown', async () => {
    const answer = await run(await replica(), ['claude-broken', 'sonnet']);
    expect(answer.tries.map((t) => t.outcome)).toEqual(['failed', 'completed']);
    const next = await run(await replica(), ['claude-broken', 'sonnet']);
    // Not cooling: it is called again.
    expect(next.tries[0]!.error).toContain('HTTP 500');
  });
});
