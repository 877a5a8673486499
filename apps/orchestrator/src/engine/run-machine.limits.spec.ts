import { MAX_STORED_INT } from '@sandcastle/contracts';
import { storableForDatabase } from './run-engine';
import { definition, MachineHarness, resultOf } from './testing/machine-harness';

const fanOut = (onFailure: string) => `
name: Fan
steps:
  - id: list
    prompt: "list"
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output
    prompt: "item {input._item}"
    retry: { max_attempts: 3, on_failure: ${onFailure} }
  - id: after
    depends_on: [each]
    prompt: "after {steps.each.output}"
`;

describe('RunMachine limits', () => {
  it('fails a fan-out above MAX_FAN_OUT_ITEMS with FAN_OUT_TOO_LARGE, dispatching nothing for it', () => {
    const h = new MachineHarness(definition(fanOut('abort')), {}, { maxFanOutItems: 100 });
    const [list] = h.step((m) => m.start());
    const items = Array.from({ length: 400_000 }, (_, i) => i);
    const sent = h.step((m) => m.applyResult(resultOf(list!, 'completed', items)));
    expect(sent).toEqual([]);
    expect(h.row('each')).toMatchObject({
      status: 'failed',
      errorKind: 'FAN_OUT_TOO_LARGE',
      error: "parallel_over 'steps.list.output' has 400000 items, above the limit of 100 (MAX_FAN_OUT_ITEMS)",
    });
    expect(h.rows.filter((r) => r.stepId === 'each')).toHaveLength(1); // no item rows
    expect(h.run.status).toBe('failed');
    expect(h.run.error).toContain('MAX_FAN_OUT_ITEMS');
  });

  it('lets a skipped oversized fan-out yield null and the run go on', () => {
    const h = new MachineHarness(definition(fanOut('skip')), {}, { maxFanOutItems: 2 });
    const [list] = h.step((m) => m.start());
    const sent = h.step((m) => m.applyResult(resultOf(list!, 'completed', [1, 2, 3])));
    expect(h.row('each')).toMatchObject({ status: 'skipped', errorKind: 'FAN_OUT_TOO_LARGE' });
    expect(sent.map((d) => d.stepId)).toEqual(['after']);
    expect(sent[0]!.prompt).toBe('after null');
  });

  it('runs a fan-out at the limit with each item seeing its own element', () => {
    const h = new MachineHarness(definition(fanOut('abort')), {}, { maxFanOutItems: 3 });
    const [list] = h.step((m) => m.start());
    const sent = h.step((m) => m.applyResult(resultOf(list!, 'completed', ['a', 'b', 'c'])));
    expect(sent.map((d) => d.prompt)).toEqual(['item a', 'item b', 'item c']);
  });

  it('fails a step whose prompt renders above MAX_PROMPT_BYTES with PROMPT_TOO_LARGE, without retrying', () => {
    const yaml = `
name: Big prompt
steps:
  - id: a
    prompt: "a"
  - id: b
    depends_on: [a]
    prompt: "{steps.a.output} {steps.a.output} {steps.a.output} {steps.a.output}"
    retry: { max_attempts: 5, on_failure: abort }
`;
    const h = new MachineHarness(definition(yaml), {}, { maxPromptBytes: 10_000 });
    const [a] = h.step((m) => m.start());
    const sent = h.step((m) => m.applyResult(resultOf(a!, 'completed', 'x'.repeat(4000))));
    expect(sent).toEqual([]);
    expect(h.row('b')).toMatchObject({ status: 'failed', errorKind: 'PROMPT_TOO_LARGE', attempt: 1 });
    expect(h.row('b').error).toMatch(/above the limit of 10000 \(MAX_PROMPT_BYTES\)/);
    expect(h.run.status).toBe('failed');
  });

  it('fails a step whose dispatch would exceed the broker limit', () => {
    const yaml = 'name: X\nsteps:\n  - id: a\n    prompt: "{input.text}"\n';
    const h = new MachineHarness(
      definition(yaml),
      { inputData: { text: 'y'.repeat(5000) } },
      {
        maxMessageBytes: 4096,
      },
    );
    expect(h.step((m) => m.start())).toEqual([]);
    expect(h.row('a')).toMatchObject({ status: 'failed', errorKind: 'PROMPT_TOO_LARGE' });
    expect(h.run.status).toBe('failed');
  });

  it('puts large outputs into events as a bounded preview with a marker', () => {
    const yaml = 'name: X\nsteps:\n  - id: a\n    prompt: "a"\n';
    const h = new MachineHarness(definition(yaml), {}, { maxEventOutputBytes: 1000 });
    const [a] = h.step((m) => m.start());
    const big = { text: 'z'.repeat(50_000) };
    h.step((m) => m.applyResult(resultOf(a!, 'completed', big)));
    expect(h.row('a').output).toEqual(big); // the row keeps the whole output
    const step = h.events().find((e) => e.type === 'step')!;
    expect(step.data).toMatchObject({ output_truncated: true, output_bytes: JSON.stringify(big).length });
    expect((step.data['output'] as string).length).toBeLessThanOrEqual(1000);
    const result = h.events().find((e) => e.type === 'result')!;
    expect(result.data).toMatchObject({ outputs: null, outputs_truncated: true });
    for (const event of h.events()) expect(JSON.stringify(event).length).toBeLessThan(5000);
  });

  it('keeps small outputs in events as they are', () => {
    const yaml = 'name: X\nsteps:\n  - id: a\n    prompt: "a"\n';
    const h = new MachineHarness(definition(yaml));
    const [a] = h.step((m) => m.start());
    h.step((m) => m.applyResult(resultOf(a!, 'completed', { ok: 1 })));
    expect(h.events().find((e) => e.type === 'step')!.data['output']).toEqual({ ok: 1 });
    expect(h.events().find((e) => e.type === 'result')!.data['outputs']).toEqual({ a: { ok: 1 } });
  });

  it('saturates token counters at the integer column maximum', () => {
    const yaml =
      'name: X\nsteps:\n  - id: a\n    prompt: "a"\n    retry: { max_attempts: 2, base_delay_seconds: 0 }\n';
    const h = new MachineHarness(definition(yaml));
    const [a] = h.step((m) => m.start());
    const huge = {
      inputTokens: MAX_STORED_INT,
      outputTokens: MAX_STORED_INT,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    };
    const [retry] = h.step((m) => m.applyResult({ ...resultOf(a!, 'failed'), usage: huge }));
    h.step((m) => m.applyResult({ ...resultOf(retry!, 'completed', 'ok'), usage: huge }));
    expect(h.run.totalInputTokens).toBe(MAX_STORED_INT);
    expect(h.row('a').outputTokens).toBe(MAX_STORED_INT);
  });
});

describe('storableForDatabase', () => {
  const base = resultOf(
    { v: 1, tenantId: 't', runId: 'r', stepId: 's', itemIndex: null, attempt: 1, model: 'm' } as never,
    'completed',
  );

  it('cleans a hostile result (NUL, lone surrogates, absurd numbers)', () => {
    const clean = storableForDatabase({
      ...base,
      output: { a: 'x\u0000', b: '\uD800' },
      costUsd: -1,
      usage: { inputTokens: 2 ** 40, outputTokens: 1, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    });
    expect(clean.output).toEqual({ a: 'x\uFFFD', b: '\uFFFD' });
    expect(clean.costUsd).toBe(0);
    expect(clean.usage.inputTokens).toBe(MAX_STORED_INT);
  });

  it('turns an output nested too deeply into a failed attempt that keeps its cost', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = [deep];
    const clean = storableForDatabase({ ...base, output: deep, costUsd: 0.5 });
    expect(clean).toMatchObject({
      outcome: 'failed',
      output: null,
      errorKind: 'OUTPUT_TOO_LARGE',
      costUsd: 0.5,
    });
  });
});
