import { AttemptFailedError, type AttemptOutput, type AttemptRequest } from './agent-runtime';
import { SimulatedRuntime } from './simulated-runtime';

function request(overrides: Partial<AttemptRequest> = {}): AttemptRequest {
  return {
    runId: '0b6f7f3e-58f4-4bde-9a57-3c1f0fbb8a11',
    stepId: 'research',
    itemIndex: null,
    attempt: 1,
    prompt: 'List the competitors of Acme Corp.\n\nBe thorough.',
    model: 'sonnet',
    maxTurns: 5,
    timeoutSeconds: 60,
    outputSchema: null,
    ...overrides,
  };
}

const noProgress = () => undefined;
const run = (runtime: SimulatedRuntime, req: AttemptRequest): Promise<AttemptOutput> =>
  runtime.run(req, new AbortController().signal, noProgress);

const schema = {
  type: 'object',
  properties: {
    company: { type: 'string' },
    competitors: { type: 'array', items: { type: 'string' } },
    tier: { type: 'string', enum: ['gold', 'silver'] },
    score: { type: 'integer', minimum: 3, maximum: 5 },
    ratio: { type: 'number', minimum: 0, maximum: 1 },
    public: { type: 'boolean' },
    founded: { type: 'string', format: 'date' },
    site: { type: 'string', format: 'uri' },
    tags: { type: 'array', items: { type: 'string' }, minItems: 5 },
    top: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } }, maxItems: 1 },
    owner: {
      type: 'object',
      properties: { email: { type: 'string', format: 'email' } },
      required: ['email'],
    },
    mystery: { $ref: '#/definitions/x' },
  },
  required: ['company', 'competitors', 'missing'],
};

/** What `schema` above should produce. */
interface SchemaOutput {
  company: string;
  competitors: string[];
  tier: string;
  score: number;
  ratio: number;
  public: unknown;
  founded: string;
  site: string;
  tags: string[];
  top: unknown[];
  owner: { email: string };
  mystery: unknown;
  missing: unknown;
}

describe('SimulatedRuntime', () => {
  it('is labelled simulated and returns prompt-derived text without a schema', async () => {
    const runtime = new SimulatedRuntime({ costUsd: 0.02 });
    expect(runtime.kind).toBe('simulated');
    const out = await run(runtime, request());
    expect(out.output).toBe('[simulated sonnet] List the competitors of Acme Corp. Be thorough.');
    expect(out).toMatchObject({ costUsd: 0.02, numTurns: 1, model: 'sonnet' });
    expect(out.usage.inputTokens).toBe(Math.ceil(request().prompt.length / 4));
    expect(out.usage.outputTokens).toBe(Math.ceil((out.output as string).length / 4));
  });

  it('builds output shaped by the schema', async () => {
    const out = (await run(new SimulatedRuntime(), request({ outputSchema: schema }))).output as SchemaOutput;

    expect(out.company).toMatch(/^simulated company \([0-9a-f]{4}\)$/);
    expect(out.competitors).toHaveLength(3);
    expect(out.competitors[1]).toMatch(/^simulated competitors #2 /);
    expect(['gold', 'silver']).toContain(out.tier);
    expect(Number.isInteger(out.score) && out.score >= 3 && out.score <= 5).toBe(true);
    expect(out.ratio >= 0 && out.ratio <= 1).toBe(true);
    expect(typeof out.public).toBe('boolean');
    expect(out.founded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(out.site).toMatch(/^https:\/\/example\.com\/simulated\//);
    expect(out.tags).toHaveLength(5);
    expect(out.top).toEqual([{ name: expect.stringMatching(/^simulated top #1 name /) }]);
    expect(out.owner.email).toMatch(/^simulated\.[0-9a-f]{4}@example\.com$/);
    expect(out.mystery).toBeNull();
    expect(out.missing).toBeNull();
  });

  it('gives the same output for the same step, item and prompt, and another for a different prompt', async () => {
    const runtime = new SimulatedRuntime();
    const a = await run(runtime, request({ outputSchema: schema, runId: 'run-a', attempt: 1 }));
    const b = await run(runtime, request({ outputSchema: schema, runId: 'run-b', attempt: 2 }));
    const c = await run(runtime, request({ outputSchema: schema, prompt: 'Another prompt' }));
    const d = await run(runtime, request({ outputSchema: schema, itemIndex: 4 }));
    expect(b.output).toEqual(a.output);
    expect(c.output).not.toEqual(a.output);
    expect(d.output).not.toEqual(a.output);
  });

  it('fails a deterministic share of attempts, and a retry can succeed', async () => {
    const runtime = new SimulatedRuntime({ failureRate: 0.3 });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_v, i) =>
        run(runtime, request({ stepId: `step-${i}` })).then(
          () => 'ok',
          (e: unknown) => e,
        ),
      ),
    );
    const failures = outcomes.filter((o) => o !== 'ok');
    expect(failures.length).toBeGreaterThan(30);
    expect(failures.length).toBeLessThan(90);
    expect(failures[0]).toBeInstanceOf(AttemptFailedError);
    expect((failures[0] as Error).message).toBe('simulated failure (failure_rate=0.3)');

    // The same attempt fails again; some later attempt of it succeeds.
    const failedStep = `step-${outcomes.findIndex((o) => o !== 'ok')}`;
    await expect(run(runtime, request({ stepId: failedStep }))).rejects.toBeInstanceOf(AttemptFailedError);
    let attempt = 2;
    for (; attempt < 50; attempt++) {
      const ok = await run(runtime, request({ stepId: failedStep, attempt })).then(
        () => true,
        () => false,
      );
      if (ok) break;
    }
    expect(attempt).toBeLessThan(50);
  });

  it('lets step settings override the defaults', async () => {
    const runtime = new SimulatedRuntime({ failureRate: 1, costUsd: 1 });
    await expect(run(runtime, request())).rejects.toThrow('simulated failure (failure_rate=1)');
    const out = await run(runtime, request({ simulation: { failureRate: 0, costUsd: 0.5 } }));
    expect(out.costUsd).toBe(0.5);
  });

  it('stops waiting when aborted', async () => {
    const runtime = new SimulatedRuntime({ latencyMs: 600_000 });
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    const running = runtime.run(request(), controller.signal, noProgress);
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);

    const bare = new AbortController();
    const second = runtime.run(request(), bare.signal, noProgress);
    bare.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await expect(runtime.run(request(), bare.signal, noProgress)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('honours per-step latency', async () => {
    const runtime = new SimulatedRuntime({ latencyMs: 600_000 });
    const out = await run(runtime, request({ simulation: { latencyMs: 0 } }));
    expect(out.numTurns).toBe(1);
  });
});
