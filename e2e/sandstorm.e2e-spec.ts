import { startFakeSandstorm, type FakeSandstorm } from '../test/support/fake-sandstorm-server';
import { E2eStack, yaml } from './support/e2e-stack';

/**
 * The `sandstorm` runtime through all five services, against a local HTTP server that speaks
 * Sandstorm's wire format (CRLF-framed SSE). The workflow's `sandstorm_url: "${FAKE_SANDSTORM}"`
 * is resolved by the executor from its allow-listed variables (WORKFLOW_ENV_ALLOWLIST).
 */
describe('sandstorm runtime end to end', () => {
  let fake: FakeSandstorm;
  let sc: E2eStack;

  beforeAll(async () => {
    fake = await startFakeSandstorm({ pingIntervalMs: 100 });
    // The fake is a configured endpoint, and FAKE_SANDSTORM an allow-listed variable naming it.
    sc = await E2eStack.start({
      env: {
        FAKE_SANDSTORM: fake.url,
        SANDSTORM_ENDPOINTS: `fake=${fake.url}`,
        WORKFLOW_ENV_ALLOWLIST: 'SANDSTORM_URL,FAKE_SANDSTORM',
      },
    });
  });

  afterAll(async () => {
    await sc?.stop();
    await fake?.close();
  });

  const workflow = (steps: string[]) =>
    yaml(['name: Sandstorm Flow', 'sandstorm_url: "${FAKE_SANDSTORM}"', 'steps:', ...steps]);

  const queriesWith = (marker: string) =>
    fake.requests.filter((r) => r.path === '/query' && JSON.stringify(r.body).includes(marker));

  it('runs steps on Sandstorm: text and structured output, cost, usage, output_format sent', async () => {
    const runId = await sc.startRun({
      workflow: workflow([
        '  - id: find',
        '    prompt: "find companies for {input.market} [probe:find]"',
        '    output_schema:',
        '      type: object',
        '      properties: { companies: { type: array, items: { type: string } } }',
        '      required: [companies]',
        '  - id: write',
        '    depends_on: [find]',
        '    model: haiku',
        '    prompt: "write about {steps.find.output.companies} [probe:write]"',
      ]),
      input: { market: 'robots' },
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.steps.map((s) => s.runtime)).toEqual(['sandstorm', 'sandstorm']);
    expect(run.outputs['find']).toEqual({ companies: expect.any(Array) });
    expect(String(run.outputs['write'])).toMatch(/^fake answer to: write about \[/);
    expect(run.steps[0]!.cost_usd).toBeCloseTo(0.0123, 6);
    expect(run.total_cost_usd).toBeCloseTo(0.0246, 6);
    expect(run.steps[0]!.input_tokens).toBeGreaterThan(0);

    const [findRequest] = queriesWith('[probe:find]');
    expect(findRequest!.body).toMatchObject({
      prompt: 'find companies for robots [probe:find]',
      model: 'sonnet',
      max_turns: 10,
      timeout: 300,
      output_format: { type: 'json_schema', schema: expect.objectContaining({ type: 'object' }) },
    });
    const [writeRequest] = queriesWith('[probe:write]');
    expect(writeRequest!.body).not.toHaveProperty('output_format');
    expect(writeRequest!.body).toMatchObject({ model: 'haiku' });
  });

  it('retries an attempt that got an error event, then succeeds', async () => {
    const runId = await sc.startRun({
      workflow: workflow([
        '  - id: flaky',
        '    prompt: "try [fake:flaky=1] [probe:flaky]"',
        '    retry: { max_attempts: 3, backoff: fixed, base_delay_seconds: 0.1 }',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ status: 'completed', attempt: 2 });
    expect(queriesWith('[probe:flaky]')).toHaveLength(2);
  });

  it('treats a stream that ends without a result as a failure, and falls back', async () => {
    const runId = await sc.startRun({
      workflow: workflow([
        '  - id: dies',
        '    prompt: "vanish [fake:no-result]"',
        '    retry: { max_attempts: 1, on_failure: fallback }',
        '    fallback: { prompt: "simpler [probe:fallback]", model: haiku }',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ attempt: 2, model: expect.stringContaining('haiku') });
    expect(String(run.outputs['dies'])).toMatch(/^fake answer to: simpler/);
  });

  it('fails the run with Sandstorm’s error message and counts a failed result’s cost', async () => {
    const runId = await sc.startRun({
      workflow: workflow(['  - id: broken', '    prompt: "max out [fake:max-turns] [fake:cost=0.4]"']),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^Step 'broken' failed: /);
    expect(run.total_cost_usd).toBeCloseTo(0.4, 6);
  });

  it('closes the Sandstorm connection when a step times out', async () => {
    const before = fake.disconnects;
    const runId = await sc.startRun({
      workflow: workflow(['  - id: slow', '    timeout: 2', '    prompt: "wait [fake:slow=60000]"']),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error).toMatch(/timed out after 2s/);
    await fake.waitForDisconnects(before + 1, 5000);
  });
});
