import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeModelProvider, type FakeModelProvider } from '../test/support/fake-model-provider';
import { E2eStack, yaml } from './support/e2e-stack';

/** USD per million tokens, as in the registry file below. */
const CLAUDE = { input: 3, output: 15, cache_write: 3.75, cache_read: 0.3 };
const GPT = { input: 2.5, output: 10, cache_write: 0, cache_read: 1.25 };
/** The fake's fixed usage priced by hand: Anthropic 1000 in / 500 out / 100 cache write / 200 cache read. */
const CLAUDE_CALL_USD = (1000 * 3 + 500 * 15 + 100 * 3.75 + 200 * 0.3) / 1e6;
/** OpenAI: 1200 prompt tokens of which 200 cached, 500 completion tokens. */
const GPT_CALL_USD = (1000 * 2.5 + 500 * 10 + 200 * 1.25) / 1e6;

/**
 * The `anthropic` and `openai` runtimes through all five services, against a local HTTP server
 * speaking both providers' wire formats. The model registry is a file (MODEL_REGISTRY_FILE) that
 * points the aliases at the fake; the keys come from the executor's environment only.
 */
describe('model API runtimes end to end', () => {
  let fake: FakeModelProvider;
  let sc: E2eStack;

  beforeAll(async () => {
    fake = await startFakeModelProvider();
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const registry = join(dir, 'models.yaml');
    writeFileSync(
      registry,
      JSON.stringify({
        endpoints: {
          claude: { runtime: 'anthropic', base_url: fake.url, key_variable: 'FAKE_ANTHROPIC_KEY' },
          gpt: { runtime: 'openai', base_url: fake.url, key_variable: 'FAKE_OPENAI_KEY', json_schema: true },
        },
        models: {
          sonnet: { endpoint: 'claude', id: 'claude-sonnet', price: CLAUDE },
          'claude-busy': { endpoint: 'claude', id: 'claude-busy-overloaded', price: CLAUDE },
          gpt: { endpoint: 'gpt', id: 'gpt-test', price: GPT },
        },
      }),
    );
    sc = await E2eStack.start({
      env: { MODEL_REGISTRY_FILE: registry, FAKE_ANTHROPIC_KEY: 'sk-ant-e2e', FAKE_OPENAI_KEY: 'sk-oai-e2e' },
    });
  });

  afterAll(async () => {
    await sc?.stop();
    await fake?.close();
  });

  it('refuses an unknown model at save time with a suggestion; warns about max_turns', async () => {
    const bad = await sc.api('POST', '/workflows', {
      content: yaml(['name: Typo', 'runtime: anthropic', 'steps:', '  - { id: a, prompt: hi, model: gtp }']),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details).toEqual([
      {
        field: 'steps[0].model',
        message: "step 'a': unknown model 'gtp': not in the operator's model registry (did you mean 'gpt'?)",
      },
    ]);
    const warned = await sc.api<{ warnings: { field: string; message: string }[] }>('POST', '/workflows', {
      content: yaml([
        'name: Turns',
        'runtime: anthropic',
        'steps:',
        '  - { id: a, prompt: hi, max_turns: 4 }',
      ]),
    });
    expect(warned.status).toBe(201);
    expect(warned.body.data.warnings).toEqual([
      {
        field: 'steps[0].max_turns',
        message: "step 'a': max_turns is ignored by the anthropic runtime (one model call per attempt)",
      },
    ]);
  });

  it('falls back from an overloaded model to the next; the step records who answered and every try', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Classify',
        'runtime: anthropic',
        'steps:',
        '  - id: classify',
        '    prompt: "Classify {input.ticket} [probe:chain]"',
        '    models: [claude-busy, gpt]',
        '    output_schema:',
        '      type: object',
        '      properties: { label: { type: string }, urgency: { type: integer } }',
        '      required: [label, urgency]',
        '  - id: summarise',
        '    depends_on: [classify]',
        '    model: sonnet',
        '    prompt: "Summarise {steps.classify.output.label}"',
      ]),
      input: { ticket: 'printer on fire' },
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.outputs['classify']).toEqual({ label: 'fake', urgency: 7 });
    expect(String(run.outputs['summarise'])).toMatch(/^fake answer to: Summarise fake/);
    const [classify, summarise] = run.steps;
    expect({ runtime: classify!.runtime, model: classify!.model }).toEqual({
      runtime: 'openai',
      model: 'gpt-test',
    });
    expect({ runtime: summarise!.runtime, model: summarise!.model }).toEqual({
      runtime: 'anthropic',
      model: 'claude-sonnet-20250101',
    });
    // GET /runs/{id} shows every try with its cost; the summarise step had no chain.
    expect(classify!.tries).toEqual([
      expect.objectContaining({
        attempt: 1,
        model: 'claude-busy',
        runtime: 'anthropic',
        outcome: 'failed',
        cost_usd: 0,
      }),
      expect.objectContaining({ attempt: 1, model: 'gpt', runtime: 'openai', outcome: 'completed' }),
    ]);
    expect(classify!.tries![1]!.cost_usd).toBeCloseTo(GPT_CALL_USD, 9);
    expect(summarise!.tries).toEqual([expect.objectContaining({ model: 'sonnet', outcome: 'completed' })]);
    // Cost totals follow the price table: the overloaded try cost nothing.
    expect(classify!.cost_usd).toBeCloseTo(GPT_CALL_USD, 9);
    expect(summarise!.cost_usd).toBeCloseTo(CLAUDE_CALL_USD, 9);
    expect(run.total_cost_usd).toBeCloseTo(GPT_CALL_USD + CLAUDE_CALL_USD, 9);

    const rows = await sc.db.query<{ step_id: string; runtime: string; model: string; tries: unknown }[]>(
      `SELECT step_id, runtime, model, tries FROM step_attempts WHERE run_id = $1 ORDER BY step_id`,
      [runId],
    );
    expect(rows[0]).toEqual({
      step_id: 'classify',
      runtime: 'openai',
      model: 'gpt-test',
      tries: [
        {
          model: 'claude-busy',
          runtime: 'anthropic',
          outcome: 'failed',
          error: "model 'claude-busy' (anthropic endpoint 'claude') answered HTTP 529 (overloaded_error)",
          costUsd: 0,
        },
        { model: 'gpt', runtime: 'openai', outcome: 'completed', error: null, costUsd: expect.any(Number) },
      ],
    });

    // The keys went only to their own endpoints, as headers; never in a body.
    const calls = fake.requests.filter((r) => JSON.stringify(r.body).includes('[probe:chain]'));
    expect(calls.map((c) => [c.path, c.headers['x-api-key'] ?? c.headers['authorization']])).toEqual([
      ['/v1/messages', 'sk-ant-e2e'],
      ['/chat/completions', 'Bearer sk-oai-e2e'],
    ]);
  });

  it('an answer that breaks output_schema fails the attempt with the problems, and its cost counts', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Bad',
        'runtime: anthropic',
        'steps:',
        '  - id: score',
        '    model: sonnet',
        '    prompt: "Score [fake:bad-output]"',
        '    output_schema: { type: object, properties: { score: { type: number } }, required: [score] }',
        '    retry: { max_attempts: 2, backoff: fixed, base_delay_seconds: 0.1 }',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({ status: 'failed', attempt: 2, runtime: 'anthropic' });
    expect(run.steps[0]!.error).toContain('does not match output_schema: /score should be number');
    expect(run.total_cost_usd).toBeCloseTo(2 * CLAUDE_CALL_USD, 9);
  });

  it('the executor reports each configured model endpoint in /health and logs them at start', async () => {
    const res = await fetch(`${sc.stack.urlOf('executor')}/health`);
    const body = (await res.json()) as { data: Record<string, unknown> };
    expect(body.data).toMatchObject({ status: 'ok', 'runtime:claude': true, 'runtime:gpt': true });
    expect(sc.logs.join('\n')).toMatch(
      /model API runtimes \(registry .*models\.yaml\): claude \[anthropic\] ready: sonnet, claude-busy; gpt \[openai\] ready: gpt/,
    );
  });
});
