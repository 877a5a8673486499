import { E2eStack, yaml } from './support/e2e-stack';

/**
 * A user's view of the engine: workflows posted to the gateway run through orchestrator and
 * executors over NATS, with state in PostgreSQL. Simulated runtime, small latencies.
 */
describe('engine end to end', () => {
  let sc: E2eStack;

  beforeAll(async () => {
    sc = await E2eStack.start();
  });

  afterAll(async () => {
    await sc?.stop();
  });

  it('runs the shipped lead-enrichment example to completion with per-step cost and duration', async () => {
    const runId = await sc.startRun({
      workflow: 'lead-enrichment',
      input: { target_url: 'https://example.com', max_depth: 3 },
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.workflow_name).toBe('lead-enrichment');
    expect(run.steps.map((s) => s.step_id)).toEqual(['scrape', 'enrich', 'score']);
    for (const step of run.steps) {
      expect(step).toMatchObject({
        status: 'completed',
        attempt: 1,
        runtime: 'simulated',
        parallel_index: null,
      });
      expect(step.cost_usd).toBeGreaterThan(0);
      expect(step.duration_seconds).not.toBeNull();
      expect(step.model).toBeTruthy();
    }
    // scrape has an output_schema: its output is structured, and enrich's prompt received it.
    expect(run.outputs['scrape']).toEqual(expect.objectContaining({ company_name: expect.any(String) }));
    expect(run.total_cost_usd).toBeCloseTo(
      run.steps.reduce((sum, s) => sum + s.cost_usd, 0),
      6,
    );
    expect(run.started_at).toBeTruthy();
    expect(run.completed_at).toBeTruthy();
  });

  it('fans out over a step output and collects item outputs in item order', async () => {
    const runId = await sc.startRun({
      workflow: 'competitor-monitor',
      input: { company_url: 'https://acme.test' },
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    const items = run.steps.filter((s) => s.step_id === 'analyze');
    expect(items.length).toBeGreaterThan(1);
    expect(items.map((s) => s.parallel_index)).toEqual(items.map((_s, i) => i));
    const analyze = run.outputs['analyze'] as unknown[];
    expect(analyze).toEqual(items.map((s) => s.output));
    const competitors = (run.outputs['fetch-competitors'] as { competitors: string[] }).competitors;
    analyze.forEach((out, i) => expect(String(out)).toContain(competitors[i]!));
  });

  it('runs inline YAML, starting each step as soon as its own dependencies are done', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Uneven Branches',
        'runtime: simulated',
        'steps:',
        '  - id: root',
        '    prompt: "start {input.topic}"',
        '  - id: slow',
        '    depends_on: [root]',
        '    prompt: "slow"',
        '    simulation: { latency_ms: 2500 }',
        '  - id: fast',
        '    depends_on: [root]',
        '    prompt: "fast"',
        '  - id: after-fast',
        '    depends_on: [fast]',
        '    prompt: "after {steps.fast.output}"',
        '  - id: join',
        '    depends_on: [slow, after-fast]',
        '    prompt: "join"',
      ]),
      input: { topic: 'otters' },
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.workflow_name).toBe('uneven-branches');
    const step = (id: string) => run.steps.find((s) => s.step_id === id)!;
    // after-fast started before slow finished: no waiting for the whole layer.
    expect(Date.parse(step('after-fast').started_at!)).toBeLessThan(Date.parse(step('slow').completed_at!));
    expect(Date.parse(step('join').started_at!)).toBeGreaterThanOrEqual(
      Date.parse(step('slow').completed_at!),
    );
  });

  it('answers a sync run with the finished run', async () => {
    const answer = await sc.api<{ run_id: string; status: string; steps: unknown[] }>(
      'POST',
      '/workflows/run/sync?timeout_s=60',
      { workflow: 'lead-enrichment', input: { target_url: 'https://example.org' } },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data.status).toBe('completed');
    expect(answer.body.data.steps).toHaveLength(3);
  });

  it('retries with backoff, then skips or fails the run as the step says', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Failing Steps',
        'runtime: simulated',
        'steps:',
        '  - id: optional',
        '    prompt: "always fails"',
        '    simulation: { failure_rate: 1 }',
        '    retry: { max_attempts: 2, backoff: fixed, base_delay_seconds: 0.2, on_failure: skip }',
        '  - id: uses-optional',
        '    depends_on: [optional]',
        '    prompt: "got {steps.optional.output}"',
        '  - id: required',
        '    depends_on: [uses-optional]',
        '    prompt: "fails too"',
        '    simulation: { failure_rate: 1 }',
        '    retry: { max_attempts: 3, backoff: exponential, base_delay_seconds: 0.1, on_failure: abort }',
        '  - id: never',
        '    depends_on: [required]',
        '    prompt: "never runs"',
      ]),
    });
    const run = await sc.waitForRun(runId);
    const step = (id: string) => run.steps.find((s) => s.step_id === id)!;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^Step 'required' failed: simulated failure/);
    expect(step('optional')).toMatchObject({ status: 'skipped', attempt: 2, output: null });
    expect(step('optional').error).toMatch(/simulated failure/);
    expect(step('uses-optional').status).toBe('completed');
    expect(step('required')).toMatchObject({ status: 'failed', attempt: 3 });
    expect(step('never').status).not.toBe('completed');
  });

  it('fails an attempt that outlives its timeout', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Too Slow',
        'runtime: simulated',
        'steps:',
        '  - id: slow',
        '    prompt: "slow"',
        '    timeout: 1',
        '    simulation: { latency_ms: 5000 }',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error).toMatch(/timed out after 1s/);
  });

  it('refuses an invalid workflow with every problem at once and stores nothing', async () => {
    const before = await sc.db.query(`SELECT count(*)::int AS n FROM runs`);
    const answer = await sc.api('POST', '/workflows/run', {
      workflow: yaml([
        'name: Broken',
        'steps:',
        '  - id: a',
        '    prompt: "x {steps.nope.output}"',
        '    depends_on: [b]',
        '    colour: blue',
        '  - id: b',
        '    depends_on: [a]',
        '    prompt: "y"',
      ]),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error!.code).toBe('INVALID_WORKFLOW');
    const fields = answer.body.error!.details!.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['steps[0].colour']));
    const messages = answer.body.error!.details!.map((d) => d.message).join('\n');
    expect(messages).toMatch(/cycle/i);
    expect(messages).toMatch(/nope/);
    const after = await sc.db.query(`SELECT count(*)::int AS n FROM runs`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('keeps every service healthy and serving metrics', async () => {
    for (const name of sc.stack.services) {
      const health = (await fetch(`${sc.stack.urlOf(name)}/health`).then((r) => r.json())) as {
        data: { status: string };
      };
      expect(health.data.status).toBe('ok');
      const metrics = await fetch(`${sc.stack.urlOf(name)}/metrics`).then((r) => r.text());
      expect(metrics).toContain(`sandcastle_${name.replace(/-\d+$/, '')}_`);
    }
    const orchestrator = await fetch(`${sc.stack.urlOf('orchestrator')}/metrics`).then((r) => r.text());
    expect(orchestrator).toMatch(
      /sandcastle_orchestrator_runs_finished_total\{[^}]*status="completed"[^}]*\} [1-9]/,
    );
  });
});
