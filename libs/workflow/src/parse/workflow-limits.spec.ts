import { DEFAULT_LIMITS } from '@sandcastle/config';
import { parseWorkflowObject, parseWorkflowYaml } from './workflow.parser';
import { definitionOf, problemsOf, RAISED_LIMITS, workflowWith } from '../testing/parse-helpers';

const chain = (count: number, read: (i: number) => string | null) =>
  Array.from({ length: count }, (_, i) => ({
    id: `s${i}`,
    prompt: read(i) ?? `do ${i}`,
    ...(i > 0 ? { depends_on: [`s${i - 1}`] } : {}),
  }));

describe('workflow size limits', () => {
  it('refuses more steps than MAX_WORKFLOW_STEPS at once, with the limit and the actual count', () => {
    const result = parseWorkflowObject(workflowWith(chain(10_000, () => null)));
    expect(result).toEqual({
      ok: false,
      code: 'WORKFLOW_TOO_LARGE',
      problems: [
        {
          field: 'steps',
          message: `the number of steps is 10000, above the limit of ${DEFAULT_LIMITS.MAX_WORKFLOW_STEPS} (MAX_WORKFLOW_STEPS)`,
          limit: DEFAULT_LIMITS.MAX_WORKFLOW_STEPS,
          actual: 10_000,
        },
      ],
    });
  });

  it('accepts exactly MAX_WORKFLOW_STEPS steps', () => {
    const limits = { MAX_WORKFLOW_STEPS: 3, MAX_WORKFLOW_BYTES: 1 << 20 };
    expect(parseWorkflowObject(workflowWith(chain(3, () => null)), { limits }).ok).toBe(true);
    expect(parseWorkflowObject(workflowWith(chain(4, () => null)), { limits })).toMatchObject({
      ok: false,
      code: 'WORKFLOW_TOO_LARGE',
      problems: [{ field: 'steps', limit: 3, actual: 4 }],
    });
  });

  it('refuses YAML text above MAX_WORKFLOW_BYTES before parsing it', () => {
    const yaml = `name: Big\nsteps:\n  - id: a\n    prompt: "${'x'.repeat(3000)}"\n`;
    const result = parseWorkflowYaml(yaml, { limits: { MAX_WORKFLOW_STEPS: 10, MAX_WORKFLOW_BYTES: 2048 } });
    expect(result).toMatchObject({
      ok: false,
      code: 'WORKFLOW_TOO_LARGE',
      problems: [{ field: 'yaml', limit: 2048, actual: Buffer.byteLength(yaml) }],
    });
  });

  it('refuses a definition that aliases expand above MAX_WORKFLOW_BYTES', () => {
    const lines = ['name: Aliases', `x: &big "${'y'.repeat(900)}"`, 'description: ok', 'steps:'];
    for (let i = 0; i < 20; i++) lines.push(`  - id: s${i}`, '    prompt: *big');
    const yaml = lines.join('\n');
    expect(Buffer.byteLength(yaml)).toBeLessThan(4096);
    const result = parseWorkflowYaml(yaml, { limits: { MAX_WORKFLOW_STEPS: 100, MAX_WORKFLOW_BYTES: 4096 } });
    expect(result).toMatchObject({ ok: false, code: 'WORKFLOW_TOO_LARGE', problems: [{ field: '' }] });
    if (!result.ok) expect(result.problems[0]!.actual).toBeGreaterThan(4096);
  });
});

describe('large graphs (limits raised; results asserted, never time)', () => {
  it('validates a 10,000-step chain where every step reads the previous output', () => {
    const steps = chain(10_000, (i) => (i > 0 ? `use {steps.s${i - 1}.output}` : null));
    const def = definitionOf(workflowWith(steps), RAISED_LIMITS);
    expect(def.steps).toHaveLength(10_000);
  });

  it('validates a 10,000-step chain where every step reads an output far upstream', () => {
    const steps = chain(10_000, (i) => (i > 1 ? `use {steps.s${Math.floor(i / 2)}.output}` : null));
    expect(definitionOf(workflowWith(steps), RAISED_LIMITS).steps).toHaveLength(10_000);
  });

  it('still finds a reference to a step that is not upstream in a large chain', () => {
    const steps = chain(10_000, () => null);
    steps[10] = { ...steps[10]!, prompt: 'use {steps.s9999.output}' };
    const problems = problemsOf(workflowWith(steps), RAISED_LIMITS);
    expect(problems).toEqual([
      {
        field: 'steps[10].prompt',
        message:
          "step 's10': prompt uses {steps.s9999.output}: 's9999' is not among this step's dependencies, so its output would not exist yet (add it to depends_on)",
      },
    ]);
  });
});

describe('text that cannot be stored', () => {
  it('refuses NUL and lone surrogates in the YAML text and in escaped strings', () => {
    expect(problemsOf('name: a\u0000b\nsteps: []')).toEqual([
      {
        field: 'yaml',
        message: 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored',
      },
    ]);
    expect(problemsOf('name: x\nsteps:\n  - id: a\n    prompt: "hi \\0 there"\n')).toEqual([
      {
        field: 'steps[0].prompt',
        message: 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored',
      },
    ]);
    expect(problemsOf(workflowWith([{ id: 'a', prompt: 'x\uD800' }]))[0]?.field).toBe('steps[0].prompt');
  });
});
