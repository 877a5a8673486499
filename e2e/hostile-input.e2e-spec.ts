import type { RunView, StepView } from '@sandcastle/contracts';
import {
  startFakeSandstorm,
  type FakeReply,
  type FakeSandstorm,
} from '../test/support/fake-sandstorm-server';
import { E2eStack, yaml } from './support/e2e-stack';

/**
 * A hostile tenant against the five running services: oversized workflows, inputs, fan-outs,
 * prompts and outputs, and a runtime that answers with garbage. Everything is refused with a
 * stable code or fails its step with a named error kind; every run reaches a terminal state and
 * a second workflow's small runs keep completing meanwhile.
 */
describe('hostile input end to end', () => {
  let fake: FakeSandstorm;
  let sc: E2eStack;

  beforeAll(async () => {
    fake = await startFakeSandstorm({ pingIntervalMs: 100 });
    fake.setScenario((req, byMarkers) => hostileReply(JSON.stringify(req.body)) ?? byMarkers());
    sc = await E2eStack.start({
      env: {
        SANDSTORM_URL: fake.url,
        // Room for the attacks themselves: a 10,000-step YAML (~400 KB) and a 400k-item input
        // (~800 KB) must reach the checks they are meant to trip, not the byte limits.
        MAX_WORKFLOW_BYTES: String(1024 * 1024),
        MAX_INPUT_BYTES: String(1024 * 1024),
      },
    });
  });

  afterAll(async () => {
    await sc?.stop();
    await fake?.close();
  });

  const SMALL = yaml([
    'name: Small Neighbour',
    'runtime: simulated',
    'steps:',
    '  - id: a',
    '    prompt: "hello {input.n}"',
  ]);

  const stepOf = (run: RunView, stepId: string): StepView => run.steps.find((s) => s.step_id === stepId)!;

  async function smallRunsComplete(count: number): Promise<void> {
    const ids = await Promise.all(
      Array.from({ length: count }, (_, n) => sc.startRun({ workflow: SMALL, input: { n } })),
    );
    for (const id of ids) expect((await sc.waitForRun(id)).status).toBe('completed');
  }

  it('refuses a 10,000-step workflow at once with the limit and the actual count', async () => {
    const steps = Array.from({ length: 10_000 }, (_, i) =>
      i === 0
        ? '  - {id: s0, prompt: go}'
        : `  - {id: s${i}, prompt: "{steps.s${i - 1}.output}", depends_on: [s${i - 1}]}`,
    );
    const answer = await sc.api('POST', '/workflows', {
      content: yaml(['name: Endless Chain', 'steps:', ...steps]),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      code: 'WORKFLOW_TOO_LARGE',
      message: 'the workflow is too large',
      details: [
        {
          field: 'steps',
          message: 'the number of steps is 10000, above the limit of 500 (MAX_WORKFLOW_STEPS)',
          limit: 500,
          actual: 10_000,
        },
      ],
    });
    expect((await sc.api('GET', '/workflows/endless-chain')).status).toBe(404);
  });

  it('fails a 400k-item parallel_over with FAN_OUT_TOO_LARGE while another workflow keeps completing', async () => {
    const fan = yaml([
      'name: Huge Fan',
      'runtime: simulated',
      'steps:',
      '  - id: each',
      '    parallel_over: input.items',
      '    prompt: "item {input._item}"',
    ]);
    const bigRun = await sc.startRun({ workflow: fan, input: { items: new Array<number>(400_000).fill(0) } });
    await smallRunsComplete(3);
    const run = await sc.waitForRun(bigRun);
    expect(run.status).toBe('failed');
    expect(stepOf(run, 'each')).toMatchObject({
      status: 'failed',
      error_kind: 'FAN_OUT_TOO_LARGE',
      error: "parallel_over 'input.items' has 400000 items, above the limit of 1000 (MAX_FAN_OUT_ITEMS)",
    });
    const items: { n: string }[] = await sc.db.query(
      `SELECT count(*) AS n FROM run_steps WHERE run_id = $1 AND item_index >= 0`,
      [bigRun],
    );
    expect(Number(items[0]!.n)).toBe(0);
  });

  it('fails a simulated step with a huge minItems with OUTPUT_TOO_LARGE; the executor keeps working', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Huge Simulated',
        'runtime: simulated',
        'steps:',
        '  - id: list',
        '    prompt: "list everything"',
        '    output_schema: {type: array, minItems: 1000000000, items: {type: string, minLength: 1000000000}}',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(stepOf(run, 'list')).toMatchObject({ status: 'failed', error_kind: 'OUTPUT_TOO_LARGE' });
    await smallRunsComplete(2);
  });

  it('offloads a runtime output above the inline limit to storage: the run completes, the step shows a reference', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Big Output',
        'runtime: sandstorm',
        'steps:',
        '  - id: big',
        '    prompt: "[hostile:big-output]"',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(stepOf(run, 'big')).toMatchObject({
      status: 'completed',
      output: null,
      output_ref: { name: 'output.big.a1.json', size: 300_002, content_type: 'application/json' },
    });
    expect(stepOf(run, 'big').output_ref!.preview).toMatch(/^"x{1000}/);
    expect(run.total_cost_usd).toBeCloseTo(0.1, 6);
  });

  it('answers NUL or a lone surrogate in the input with 400, never a 500, storing nothing', async () => {
    for (const text of ['a\u0000b', 'lone \uD800']) {
      const answer = await sc.api('POST', '/workflows/run', { workflow: SMALL, input: { note: text } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'input.note' }],
      });
    }
  });

  it('stores a hostile runtime result (NUL, lone surrogates, 2^40 tokens) and ends the run with its cost', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Garbage Result',
        'runtime: sandstorm',
        'steps:',
        '  - id: g',
        '    prompt: "[hostile:garbage]"',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.total_cost_usd).toBeCloseTo(0.25, 6);
    expect(stepOf(run, 'g')).toMatchObject({
      status: 'completed',
      input_tokens: 2 ** 31 - 1,
      output_tokens: 2 ** 31 - 1,
      output: 'nul \uFFFD and lone \uFFFD here',
    });
  });

  it('fails an unbounded SSE line with RUNTIME_STREAM_TOO_LARGE and hangs up', async () => {
    const before = fake.disconnects;
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Endless Line',
        'runtime: sandstorm',
        'steps:',
        '  - id: line',
        '    prompt: "[hostile:endless-line]"',
      ]),
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(stepOf(run, 'line')).toMatchObject({ status: 'failed', error_kind: 'RUNTIME_STREAM_TOO_LARGE' });
    await fake.waitForDisconnects(before + 1);
    await smallRunsComplete(1);
  });
});

/** Replies of a hostile Sandstorm, chosen by a marker in the prompt; null = the fake's default. */
function hostileReply(body: string): FakeReply | null {
  const result = (extra: Record<string, unknown>): FakeReply => ({
    kind: 'stream',
    steps: [{ event: { type: 'result', subtype: 'success', is_error: false, num_turns: 1, ...extra } }],
  });
  if (body.includes('[hostile:big-output]')) {
    return result({ result: 'x'.repeat(300_000), total_cost_usd: 0.1 });
  }
  if (body.includes('[hostile:garbage]')) {
    return result({
      result: 'nul \u0000 and lone \uD800 here',
      total_cost_usd: 0.25,
      num_turns: 2 ** 40,
      usage: { input_tokens: 2 ** 40, output_tokens: 2 ** 36, cache_read_input_tokens: -5 },
    });
  }
  if (body.includes('[hostile:endless-line]')) {
    return {
      kind: 'stream',
      steps: Array.from({ length: 64 }, () => ({ raw: 'y'.repeat(64 * 1024) })),
      holdOpen: true,
      pingEveryMs: 0,
    };
  }
  return null;
}
