import type { StepDispatch, StepResult } from '@sandcastle/contracts';
import { definition, MachineHarness, names, resultOf } from './testing/machine-harness';

const DIAMOND = `
name: Diamond
steps:
  - id: a
    prompt: "start {input.topic}"
  - id: b
    depends_on: [a]
    prompt: "b sees {steps.a.output}"
  - id: slow
    depends_on: [a]
    prompt: "slow"
  - id: c
    depends_on: [b]
    prompt: "c sees {steps.b.output.score}"
  - id: d
    depends_on: [c, slow]
    prompt: "done"
`;

describe('RunMachine', () => {
  it('starts a run by dispatching only the steps without dependencies, with rendered prompts', () => {
    const h = new MachineHarness(definition(DIAMOND), { inputData: { topic: 'ducks' } });
    const sent = h.step((m) => m.start());
    expect(h.run.status).toBe('running');
    expect(sent.map((d) => d.stepId)).toEqual(['a']);
    expect(sent[0]!.prompt).toBe('start ducks');
    expect(sent[0]!.attempt).toBe(1);
    expect(h.rows).toHaveLength(5);
    expect(h.row('b').status).toBe('pending');
  });

  it('starts a step as soon as its own dependencies are done, not layer by layer', () => {
    const h = new MachineHarness(definition(DIAMOND), { inputData: { topic: 'x' } });
    const [a] = h.step((m) => m.start());
    const afterA = h.step((m) => m.applyResult(resultOf(a!, 'completed', 'A-out')));
    expect(afterA.map((d) => d.stepId).sort()).toEqual(['b', 'slow']);
    const b = afterA.find((d) => d.stepId === 'b')!;
    expect(b.prompt).toBe('b sees A-out');
    // c depends only on b: it starts while `slow` is still running.
    const afterB = h.step((m) => m.applyResult(resultOf(b, 'completed', { score: 7 })));
    expect(afterB.map((d) => d.stepId)).toEqual(['c']);
    expect(afterB[0]!.prompt).toBe('c sees 7');
    expect(h.row('slow').status).toBe('queued');
  });

  it('completes the run with outputs and summed cost when every step is done', () => {
    const h = new MachineHarness(definition(DIAMOND));
    h.runToEnd(h.step((m) => m.start()));
    expect(h.run.status).toBe('completed');
    expect(h.run.outputs).toEqual({ a: 'a', b: 'b', slow: 'slow', c: 'c', d: 'd' });
    expect(h.run.totalCostUsd).toBeCloseTo(0.05);
    expect(h.run.totalInputTokens).toBe(50);
  });

  it('applies a result only when it matches the current attempt of a live row', () => {
    const h = new MachineHarness(definition(DIAMOND));
    const [a] = h.step((m) => m.start());
    h.step((m) => m.applyResult(resultOf(a!, 'completed', 'x')));
    let outcome = '';
    const sent = h.step((m) => (outcome = m.applyResult(resultOf(a!, 'completed', 'again', 0.02))));
    expect(outcome).toBe('stale');
    expect(sent).toHaveLength(0);
    expect(h.run.outputs['a']).toBe('x');
    // The money was spent, so it still counts.
    expect(h.run.totalCostUsd).toBeCloseTo(0.03);
  });

  const FAN_OUT = `
name: Fan
steps:
  - id: list
    prompt: "list"
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output.items
    prompt: "item {input._index}: {input._item}"
    retry: { max_attempts: 1, on_failure: skip }
  - id: sum
    depends_on: [each]
    prompt: "sum {steps.each.output}"
`;

  it('fans out one attempt per item and collects outputs in item order, null for skipped items', () => {
    const h = new MachineHarness(definition(FAN_OUT));
    const [list] = h.step((m) => m.start());
    const items = h.step((m) => m.applyResult(resultOf(list!, 'completed', { items: ['x', 'y', 'z'] })));
    expect(items.map((d) => [d.itemIndex, d.prompt])).toEqual([
      [0, 'item 0: x'],
      [1, 'item 1: y'],
      [2, 'item 2: z'],
    ]);
    // Completion order differs from item order.
    h.step((m) => m.applyResult(resultOf(items[2]!, 'completed', 'Z')));
    h.step((m) => m.applyResult(resultOf(items[1]!, 'failed')));
    const after = h.step((m) => m.applyResult(resultOf(items[0]!, 'completed', 'X')));
    expect(h.row('each', 1).status).toBe('skipped');
    expect(h.row('each').output).toEqual(['X', null, 'Z']);
    expect(after.map((d) => d.prompt)).toEqual(['sum ["X",null,"Z"]']);
  });

  it('completes a fan-out over an empty list at once with an empty output', () => {
    const h = new MachineHarness(definition(FAN_OUT));
    const [list] = h.step((m) => m.start());
    const next = h.step((m) => m.applyResult(resultOf(list!, 'completed', { items: [] })));
    expect(next.map((d) => d.stepId)).toEqual(['sum']);
    expect(h.run.outputs['each']).toEqual([]);
  });

  const RETRY = `
name: Retry
steps:
  - id: flaky
    prompt: "p"
    retry: { max_attempts: 3, backoff: exponential, on_failure: abort }
  - id: after
    depends_on: [flaky]
    prompt: "q"
`;

  it('waits out the backoff before the next attempt, then dispatches it with the same prompt', () => {
    const h = new MachineHarness(definition(RETRY));
    const [first] = h.step((m) => m.start());
    expect(h.step((m) => m.applyResult(resultOf(first!, 'failed')))).toHaveLength(0);
    expect(h.row('flaky').status).toBe('pending');
    expect(h.row('flaky').nextAttemptAt!.getTime() - h.clock.getTime()).toBe(2000);
    expect(h.step((m) => m.dispatchDueRetries())).toHaveLength(0);
    h.clock = new Date(h.clock.getTime() + 2000);
    const retried = h.step((m) => m.dispatchDueRetries());
    expect(retried.map((d) => [d.stepId, d.attempt, d.prompt])).toEqual([['flaky', 2, 'p']]);
  });

  it('fails the run when the last attempt fails under on_failure abort, cancelling the rest', () => {
    const h = new MachineHarness(definition(RETRY));
    let [d] = h.step((m) => m.start());
    for (let attempt = 1; attempt <= 3; attempt++) {
      h.step((m) => m.applyResult(resultOf(d!, 'failed')));
      h.clock = new Date(h.clock.getTime() + 60_000);
      [d] = h.step((m) => m.dispatchDueRetries());
    }
    expect(h.run.status).toBe('failed');
    expect(h.run.error).toBe("Step 'flaky' failed: boom");
    expect(h.row('flaky').status).toBe('failed');
    expect(h.row('after').status).toBe('cancelled');
  });

  it('runs the fallback prompt and model after retries, without the output schema', () => {
    const h = new MachineHarness(
      definition(`
name: Fallback
steps:
  - id: s
    prompt: "main {input.x}"
    output_schema: { type: object, properties: { a: { type: string } } }
    retry: { max_attempts: 1, on_failure: fallback }
    fallback: { prompt: "simpler {input.x}", model: haiku }
`),
      { inputData: { x: 1 } },
    );
    const [main] = h.step((m) => m.start());
    const [fallback] = h.step((m) => m.applyResult(resultOf(main!, 'failed')));
    expect(fallback).toMatchObject({
      attempt: 2,
      isFallback: true,
      model: 'haiku',
      prompt: 'simpler 1',
      outputSchema: null,
    });
    h.step((m) => m.applyResult(resultOf(fallback!, 'completed', 'ok')));
    expect(h.run.status).toBe('completed');
    expect(h.run.outputs).toEqual({ s: 'ok' });
  });

  it('reports attempts past their deadline as lost so they can be retried', () => {
    const h = new MachineHarness(definition(RETRY));
    const [d] = h.step((m) => m.start());
    h.step((m) =>
      m.applyStarted({ ...d!, startedAt: h.clock.toISOString(), executorId: 'ex-1', runtime: 'simulated' }),
    );
    expect(h.row('flaky').status).toBe('running');
    let lost: StepResult[] = [];
    h.step((m) => (lost = m.lostAttempts('orc')));
    expect(lost).toHaveLength(0);
    h.clock = new Date(h.clock.getTime() + 300_000 + 31_000);
    h.step((m) => (lost = m.lostAttempts('orc')));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ stepId: 'flaky', attempt: 1, outcome: 'failed', errorKind: 'lost' });
    h.step((m) => m.applyResult(lost[0]!));
    expect(h.row('flaky')).toMatchObject({ status: 'pending', attempt: 1 });
  });

  it('emits a status event, step events and a final result event', () => {
    const h = new MachineHarness(
      definition(`
name: One
steps:
  - id: only
    prompt: "hi"
`),
    );
    const types: string[] = [];
    const [d] = h.step((m) => m.start());
    types.push(...h.events().map((e) => e.type));
    h.step((m) => m.applyResult(resultOf(d as StepDispatch, 'completed', 'hello')));
    types.push(...h.events().map((e) => e.type));
    expect(types).toEqual(['status', 'step', 'step', 'status', 'result']);
    expect(h.effects.runEnded).toEqual({ status: 'completed', error: null });
    expect(
      h.effects.messages.every(
        (o) => o.subject === names.runEvent(h.run.id, (o.payload as { type: string }).type),
      ),
    ).toBe(true);
  });
});
