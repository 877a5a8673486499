import { buildModelRegistry, type ModelRegistry } from '@sandcastle/config';
import type { AttemptRequest } from '../agent-runtime';
import type { StreamLimits } from './provider-stream';

/** Test-only helpers shared by the model API specs. */
export const TEST_LIMITS: StreamLimits = {
  idleTimeoutMs: 1500,
  maxEventBytes: 1024 * 1024,
  maxStreamBytes: 4 * 1024 * 1024,
  maxErrorBodyBytes: 4096,
};

export const PRICES = {
  claude: { input: 3, output: 15, cache_write: 3.75, cache_read: 0.3 },
  gpt: { input: 2.5, output: 10, cache_write: 0, cache_read: 1.25 },
};

/** A registry pointing both wire formats at `url` (a fake provider). */
export function testRegistry(
  url: string,
  models: Record<string, { endpoint: string; id: string }> = {},
): ModelRegistry {
  return buildModelRegistry(
    {
      endpoints: {
        claude: { runtime: 'anthropic', base_url: url, key_variable: 'TEST_ANTHROPIC_KEY' },
        gpt: { runtime: 'openai', base_url: url, key_variable: 'TEST_OPENAI_KEY', json_schema: true },
        local: { runtime: 'openai', base_url: `${url}/v1`, key_variable: null, json_schema: false },
        nokey: { runtime: 'anthropic', base_url: url, key_variable: 'TEST_UNSET_KEY' },
      },
      models: {
        sonnet: { endpoint: 'claude', id: 'claude-sonnet', price: PRICES.claude },
        gpt: { endpoint: 'gpt', id: 'gpt-test', price: PRICES.gpt },
        llama: { endpoint: 'local', id: 'llama3.1:8b', price: PRICES.gpt },
        ...Object.fromEntries(
          Object.entries(models).map(([alias, m]) => [
            alias,
            { ...m, price: m.endpoint === 'claude' || m.endpoint === 'nokey' ? PRICES.claude : PRICES.gpt },
          ]),
        ),
      },
    },
    'test',
  );
}

export function attempt(overrides: Partial<AttemptRequest> = {}): AttemptRequest {
  return {
    runId: '7d9f7a52-1d4e-4a8e-9d6c-1f0b7c1f2a10',
    stepId: 'classify',
    itemIndex: null,
    attempt: 1,
    prompt: 'Classify this ticket',
    model: 'sonnet',
    maxTurns: 1,
    timeoutSeconds: 30,
    outputSchema: null,
    ...overrides,
  };
}
