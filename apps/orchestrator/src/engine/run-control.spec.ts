import type { StepDispatch } from '@sandcastle/contracts';
import type { StepRow } from './run-state';
import { definition, MachineHarness as Harness, resultOf } from './testing/machine-harness';

const PARENT = '22222222-2222-4222-8222-222222222222';

/** Results here cost $0.10 unless a test says otherwise. */
const result = (
  d: StepDispatch,
  outcome: 'completed' | 'failed',
  output: unknown = d.stepId,
  costUsd = 0.1,
) => resultOf(d, outcome, output, costUsd);

const runToEnd = (h: Harness, first: StepDispatch[], outputOf?: (d: StepDispatch) => unknown): string[] =>
  h.runToEnd(first, outputOf, 0.1);

const CHAIN = `
name: Chain
steps:
  - id: a
    prompt: "a"
  - id: b
    depends_on: [a]
    prompt: "b {steps.a.output}"
  - id: c
    depends_on: [b]
    prompt: "c {steps.b.output}"
  - id: side
    depends_on: [a]
    prompt: "side"
`;

describe('Time Machine restore', () => {
  function finishedParent(): StepRow[] {
    const parent = new Harness(definition(CHAIN));
    runToEnd(
      parent,
      parent.step((m) => m.start()),
      (d) => `${d.stepId}-v1`,
    );
    expect(parent.run.status).toBe('completed');
    return parent.rows;
  }

  it('re-runs only the from-step and its dependents, restoring the rest at no cost', () => {
    const parentRows = finishedParent();
    const h = new Harness(definition(CHAIN), { kind: 'replay', parentRunId: PARENT, replayFromStep: 'b' });
    const first = h.step((m) => m.start({ runId: PARENT, rows: parentRows }));
    expect(first.map((d) => [d.stepId, d.prompt])).toEqual([['b', 'b a-v1']]);
    expect(h.row('a')).toMatchObject({
      status: 'completed',
      output: 'a-v1',
      costUsd: 0,
      restoredFrom: PARENT,
    });
    expect(h.row('side')).toMatchObject({ status: 'completed', restoredFrom: PARENT });
    const ran = runToEnd(h, first, (d) => `${d.stepId}-v2`);
    expect(ran).toEqual(['b', 'c']);
    expect(h.run.status).toBe('completed');
    expect(h.run.outputs).toEqual({ a: 'a-v1', side: 'side-v1', b: 'b-v2', c: 'c-v2' });
    expect(h.run.totalCostUsd).toBeCloseTo(0.2);
  });

  it('runs a step the parent never finished even when it is not downstream of the from-step', () => {
    const parent = new Harness(definition(CHAIN));
    const [a] = parent.step((m) => m.start());
    const afterA = parent.step((m) => m.applyResult(result(a!, 'completed', 'a-v1')));
    const side = afterA.find((d) => d.stepId === 'side')!;
    parent.step((m) => m.applyResult(result(side, 'failed')));
    expect(parent.run.status).toBe('failed');

    const h = new Harness(definition(CHAIN), { kind: 'replay', parentRunId: PARENT, replayFromStep: 'c' });
    const first = h.step((m) => m.start({ runId: PARENT, rows: parent.rows }));
    expect(first.map((d) => d.stepId).sort()).toEqual(['b', 'side']);
  });

  it('restores fan-out items and re-runs a fan-out step item by item', () => {
    const FAN = `
name: Fan
steps:
  - id: list
    prompt: "list"
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output
    prompt: "do {input._item}"
  - id: after
    depends_on: [each]
    prompt: "after {steps.each.output}"
`;
    const parent = new Harness(definition(FAN));
    runToEnd(
      parent,
      parent.step((m) => m.start()),
      (d) => (d.stepId === 'list' ? ['x', 'y'] : `${d.prompt}!`),
    );
    const replayList = new Harness(definition(FAN), {
      kind: 'replay',
      parentRunId: PARENT,
      replayFromStep: 'after',
    });
    const first = replayList.step((m) => m.start({ runId: PARENT, rows: parent.rows }));
    expect(first.map((d) => d.prompt)).toEqual(['after ["do x!","do y!"]']);
    expect(replayList.row('each', 1)).toMatchObject({
      status: 'completed',
      output: 'do y!',
      restoredFrom: PARENT,
    });

    const replayEach = new Harness(definition(FAN), {
      kind: 'replay',
      parentRunId: PARENT,
      replayFromStep: 'each',
    });
    const items = replayEach.step((m) => m.start({ runId: PARENT, rows: parent.rows }));
    expect(items.map((d) => d.prompt)).toEqual(['do x', 'do y']);
  });
});

describe('cancellation', () => {
  it('cancels a running run: pending steps cancelled, in-flight aborted, costs kept', () => {
    const h = new Harness(definition(CHAIN));
    const [a] = h.step((m) => m.start());
    h.step((m) => m.applyResult(result(a!, 'completed')));
    let outcome = '';
    h.step((m) => (outcome = m.cancel('Cancelled by user')));
    expect(outcome).toBe('cancelled');
    expect(h.run).toMatchObject({ status: 'cancelled', error: 'Cancelled by user' });
    expect(h.outboxOf('stop').map((o) => o.msgId)).toEqual([`stop:${h.run.id}`]);
    expect(h.row('b').status).toBe('cancelled');
    expect(h.run.totalCostUsd).toBeCloseTo(0.1);
    // A late result of an aborted attempt changes no state but its cost counts.
    const late = h.step((m) =>
      m.applyResult(result({ ...a!, stepId: 'b', attempt: 1 }, 'failed', null, 0.05)),
    );
    expect(late).toEqual([]);
    expect(h.run.status).toBe('cancelled');
    expect(h.run.totalCostUsd).toBeCloseTo(0.15);
  });

  it('cancels a queued run so that it never starts, and leaves a finished run alone', () => {
    const h = new Harness(definition(CHAIN));
    let outcome = '';
    h.step((m) => (outcome = m.cancel('stop')));
    expect(outcome).toBe('cancelled');
    expect(h.step((m) => m.start())).toEqual([]);
    expect(h.run.status).toBe('cancelled');
    h.step((m) => (outcome = m.cancel('again')));
    expect(outcome).toBe('finished');
  });
});

describe('budget', () => {
  const THREE = `
name: Costly
steps:
  - id: one
    prompt: "1"
  - id: two
    depends_on: [one]
    prompt: "2"
  - id: three
    depends_on: [two]
    prompt: "3"
  - id: four
    depends_on: [three]
    prompt: "4"
`;

  it('warns once at 80 % and stops at 100 % with the outputs so far', () => {
    const h = new Harness(definition(THREE), { maxCostUsd: 1 });
    const [one] = h.step((m) => m.start());
    const [two] = h.step((m) => m.applyResult(result(one!, 'completed', 'o1', 0.4)));
    expect(h.events().map((e) => e.type)).not.toContain('budget');
    const [three] = h.step((m) => m.applyResult(result(two!, 'completed', 'o2', 0.45)));
    const budget = h.events().filter((e) => e.type === 'budget');
    expect(budget).toHaveLength(1);
    expect(budget[0]!.data).toMatchObject({ total_cost_usd: 0.85, max_cost_usd: 1, ratio: 0.85 });
    expect(h.effects.metrics.budgetWarning).toBe(true);
    const after = h.step((m) => m.applyResult(result(three!, 'completed', 'o3', 0.4)));
    expect(after).toEqual([]);
    expect(h.run.status).toBe('budget_exceeded');
    expect(h.run.error).toBe('Budget exceeded: $1.2500 >= $1.0000');
    expect(h.run.outputs).toEqual({ one: 'o1', two: 'o2', three: 'o3' });
    expect(h.row('four').status).toBe('cancelled');
  });

  it('does not dispatch when the budget is already spent by parallel steps', () => {
    const PARALLEL = `
name: Parallel
steps:
  - id: p1
    prompt: "1"
  - id: p2
    prompt: "2"
  - id: p3
    prompt: "3"
  - id: join
    depends_on: [p1, p2, p3]
    prompt: "join"
`;
    const h = new Harness(definition(PARALLEL), { maxCostUsd: 1 });
    const started = h.step((m) => m.start());
    expect(started).toHaveLength(3);
    h.step((m) => m.applyResult(result(started[0]!, 'completed', 'x', 0.5)));
    h.step((m) => m.applyResult(result(started[1]!, 'completed', 'x', 0.6)));
    expect(h.run.status).toBe('budget_exceeded');
    expect(h.outboxOf('stop').map((o) => o.msgId)).toEqual([`stop:${h.run.id}`]);
    const late = h.step((m) => m.applyResult(result(started[2]!, 'completed', 'x', 0.5)));
    expect(late).toEqual([]);
    expect(h.row('join').status).toBe('cancelled');
  });
});

describe('dead letters and checkpoints', () => {
  it('parks a finally failed step in the dead letter queue and goes on', () => {
    const h = new Harness(
      definition(`
name: With DLQ
on_failure: { dead_letter: true }
steps:
  - id: a
    prompt: "a"
  - id: b
    depends_on: [a]
    prompt: "b"
    retry: { max_attempts: 2, backoff: fixed, base_delay_seconds: 0 }
  - id: c
    depends_on: [b]
    prompt: "c {steps.b.output}"
`),
      { inputData: { lead: 42 } },
    );
    const [a] = h.step((m) => m.start());
    const [b1] = h.step((m) => m.applyResult(result(a!, 'completed')));
    const [b2] = h.step((m) => m.applyResult(result(b1!, 'failed')));
    expect(b2).toMatchObject({ stepId: 'b', attempt: 2 });
    const [c] = h.step((m) => m.applyResult(result(b2!, 'failed')));
    expect(h.effects.deadLetters).toEqual([
      { stepId: 'b', itemIndex: null, error: 'boom', attempts: 2, inputData: { lead: 42 } },
    ]);
    expect(h.row('b')).toMatchObject({ status: 'failed', output: null });
    expect(c!.prompt).toBe('c null');
    h.step((m) => m.applyResult(result(c!, 'completed')));
    expect(h.run.status).toBe('completed');
  });

  it('numbers completions so every checkpoint is the set of rows up to it', () => {
    const h = new Harness(definition(CHAIN));
    runToEnd(
      h,
      h.step((m) => m.start()),
    );
    const order = h.rows
      .filter((r) => r.checkpointSeq !== null)
      .sort((x, y) => x.checkpointSeq! - y.checkpointSeq!)
      .map((r) => r.stepId);
    expect(order[0]).toBe('a');
    expect(order.slice(1, 3).sort()).toEqual(['b', 'side']);
    expect(order[3]).toBe('c');
    expect(h.run.checkpointSeq).toBe(4);
  });

  it('writes a constant number of rows per completion: a 200-step run stores no copies of its state', () => {
    const steps = Array.from({ length: 200 }, (_, i) =>
      i === 0
        ? `  - id: s0\n    prompt: "start"`
        : `  - id: s${i}\n    depends_on: [s${i - 1}]\n    prompt: "next {steps.s${i - 1}.output}"`,
    );
    const h = new Harness(definition(`name: Long\nsteps:\n${steps.join('\n')}\n`));
    let rowsWritten = 0;
    let pending = h.step((m) => m.start());
    rowsWritten += h.effects.stepChanges.length;
    while (pending.length > 0) {
      const [d] = pending;
      pending = h.step((m) => m.applyResult(result(d!, 'completed', `out-${d!.stepId}`)));
      // Each completion writes the finished row and the next queued one, never the whole run.
      expect(h.effects.stepChanges.length).toBeLessThanOrEqual(2);
      rowsWritten += h.effects.stepChanges.length;
    }
    expect(h.run.status).toBe('completed');
    expect(h.run.checkpointSeq).toBe(200);
    expect(new Set(h.rows.map((r) => r.checkpointSeq)).size).toBe(200);
    expect(rowsWritten).toBeLessThan(3 * 200 + 200);
  });
});
