import type { StepDispatch, StepResult } from '@sandcastle/contracts';
import type { RunEngine } from './run-engine';
import { EngineFixture } from './testing/engine-fixture';
import { resultOf as resultOfOutcome } from './testing/machine-harness';

const FAN_OUT_ABORT = `
name: Fan
runtime: simulated
steps:
  - id: list
    prompt: list
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output
    prompt: "item {input._item}"
    retry: { on_failure: abort }
`;

const ONE_STEP = `
name: One
runtime: simulated
steps:
  - id: a
    prompt: go
`;

/** The orchestrator's engine against the real PostgreSQL and NATS: no executor, results are made here. */
describe('RunEngine limits and hostile results (real PostgreSQL and NATS)', () => {
  const f = new EngineFixture();
  let engine: RunEngine;
  let db: EngineFixture['db'];

  beforeAll(async () => {
    await f.setUp('or');
    db = f.db;
    engine = (await f.engine({ limits: { maxFanOutItems: 50 } })).engine;
  });

  afterAll(() => f.tearDown());

  const insertRun = (yaml: string) => f.insertRun(yaml);

  /** The attempts a run has queued now (as an executor would take them). */
  const takeDispatches = (runId: string): Promise<StepDispatch[]> => f.queued([runId]);

  /** A completed attempt's result ($0.01), as an executor would report it. */
  const resultOf = (d: StepDispatch, output: unknown): StepResult => resultOfOutcome(d, 'completed', output);

  async function runRow(runId: string): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT status, error, total_input_tokens, total_output_tokens, total_cost_usd, outputs FROM runs WHERE id = $1`,
      [runId],
    );
    return rows[0]!;
  }

  it('fails an oversized fan-out with FAN_OUT_TOO_LARGE on the step row and ends the run', async () => {
    const runId = await insertRun(FAN_OUT_ABORT);
    await engine.startRun(runId);
    const [list] = await takeDispatches(runId);
    const items = Array.from({ length: 400_000 }, (_, i) => i);
    await engine.applyResult(resultOf(list!, items));
    const steps: { step_id: string; item_index: number; status: string; error_kind: string | null }[] =
      await db.query(
        `SELECT step_id, item_index, status, error_kind FROM run_steps WHERE run_id = $1 AND step_id = 'each'`,
        [runId],
      );
    expect(steps).toEqual([
      { step_id: 'each', item_index: -1, status: 'failed', error_kind: 'FAN_OUT_TOO_LARGE' },
    ]);
    expect(await runRow(runId)).toMatchObject({ status: 'failed' });
  });

  it('stores a hostile result (NUL, lone surrogates, 2^40 tokens, NaN cost) and completes the run', async () => {
    const runId = await insertRun(ONE_STEP);
    await engine.startRun(runId);
    const [a] = await takeDispatches(runId);
    const hostile: StepResult = {
      ...resultOf(a!, { text: 'nul \u0000 here', ['key\u0000']: ['\uD800 lone'] }),
      error: null,
      costUsd: 0.5,
      usage: {
        inputTokens: 2 ** 40,
        outputTokens: 2 ** 35,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
      },
      numTurns: 2 ** 33,
    };
    expect(await engine.applyResult(hostile)).not.toBe('unknown-run');
    const run = await runRow(runId);
    expect(run).toMatchObject({
      status: 'completed',
      total_input_tokens: 2 ** 31 - 1,
      total_output_tokens: 2 ** 31 - 1,
      total_cost_usd: 0.5,
      outputs: { a: { text: 'nul \uFFFD here', ['key\uFFFD']: ['\uFFFD lone'] } },
    });
    const attempts: { input_tokens: number; num_turns: number }[] = await db.query(
      `SELECT input_tokens, num_turns FROM step_attempts WHERE run_id = $1`,
      [runId],
    );
    expect(attempts).toEqual([{ input_tokens: 2 ** 31 - 1, num_turns: 2 ** 31 - 1 }]);
  });

  it('stores the longest limit error kind on the step and the attempt', async () => {
    const runId = await insertRun(ONE_STEP);
    await engine.startRun(runId);
    const [a] = await takeDispatches(runId);
    await engine.applyResult({
      ...resultOfOutcome(a!, 'failed'),
      error: 'the runtime sent a line larger than 1048576 bytes (MAX_RUNTIME_EVENT_BYTES)',
      errorKind: 'RUNTIME_STREAM_TOO_LARGE',
    });
    const steps: { status: string; error_kind: string }[] = await db.query(
      `SELECT status, error_kind FROM run_steps WHERE run_id = $1 AND item_index = -1`,
      [runId],
    );
    expect(steps).toEqual([{ status: 'failed', error_kind: 'RUNTIME_STREAM_TOO_LARGE' }]);
    expect(await runRow(runId)).toMatchObject({ status: 'failed' });
  });
});
