import type { FieldProblem } from '@sandcastle/contracts';
import type { WorkflowDefinition } from '../definition';
import { definitionOf, workflowWith } from '../testing/parse-helpers';
import { applyStepChanges, type StepChanges } from './apply-step-changes';

const def = definitionOf(
  workflowWith([
    { id: 'fetch', prompt: 'Fetch {input.url}' },
    { id: 'other', prompt: 'Unrelated' },
    { id: 'summarise', prompt: 'Sum up {steps.fetch.output}', depends_on: ['fetch'], model: 'haiku' },
    { id: 'each', prompt: 'Look at {input._item}', depends_on: ['summarise'], parallel_over: 'input.items' },
  ]),
);

function applied(stepId: string, changes: StepChanges): WorkflowDefinition {
  const result = applyStepChanges(def, stepId, changes);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.problems)}`);
  return result.definition;
}

function problems(stepId: string, changes: unknown): FieldProblem[] {
  const result = applyStepChanges(def, stepId, changes as StepChanges);
  if (result.ok) throw new Error('expected problems, but the changes were accepted');
  return result.problems;
}

const stepOf = (d: WorkflowDefinition, id: string) => d.steps.find((s) => s.id === id);

describe('applyStepChanges', () => {
  it('applies every change to the step, and only to that step', () => {
    const schema = { type: 'object', properties: { summary: { type: 'string' } } };
    const result = applied('summarise', {
      prompt: 'Summarise {steps.fetch.output} briefly',
      model: 'opus',
      max_turns: 3,
      timeout: 120,
      output_schema: schema,
    });
    expect(stepOf(result, 'summarise')).toEqual({
      ...stepOf(def, 'summarise'),
      prompt: 'Summarise {steps.fetch.output} briefly',
      model: 'opus',
      maxTurns: 3,
      timeout: 120,
      outputSchema: schema,
    });
    expect(result.steps.filter((s) => s.id !== 'summarise')).toEqual(
      def.steps.filter((s) => s.id !== 'summarise'),
    );
    expect({ ...result, steps: [] }).toEqual({ ...def, steps: [] });
  });

  it('applies max_turns or timeout on their own, without a prompt or model', () => {
    expect(stepOf(applied('fetch', { max_turns: 42 }), 'fetch')).toMatchObject({
      maxTurns: 42,
      prompt: 'Fetch {input.url}',
      model: 'sonnet',
    });
    expect(stepOf(applied('fetch', { timeout: 30 }), 'fetch')?.timeout).toBe(30);
    expect(stepOf(applied('fetch', { output_schema: { type: 'array' } }), 'fetch')?.outputSchema).toEqual({
      type: 'array',
    });
  });

  it('does not modify the definition it was given', () => {
    const before = JSON.stringify(def);
    applied('fetch', { prompt: 'Changed', model: 'opus' });
    expect(JSON.stringify(def)).toBe(before);
  });

  it("lets a prompt read the step's dependencies (transitively) and fan-out item, nothing else", () => {
    expect(
      stepOf(
        applied('each', { prompt: '{input._item} {steps.fetch.output} {steps.summarise.output}' }),
        'each',
      )?.prompt,
    ).toBe('{input._item} {steps.fetch.output} {steps.summarise.output}');

    expect(problems('fetch', { prompt: 'Use {steps.summarise.output}' })).toEqual([
      {
        field: 'changes.prompt',
        message: expect.stringContaining("'summarise' is not among this step's dependencies"),
      },
    ]);
    expect(problems('summarise', { prompt: 'Use {steps.fech.output}' })).toEqual([
      {
        field: 'changes.prompt',
        message: expect.stringContaining("there is no step 'fech' (did you mean 'fetch'?)"),
      },
    ]);
    expect(problems('fetch', { prompt: 'Item {input._item}' })).toEqual([
      {
        field: 'changes.prompt',
        message: expect.stringContaining('only exists in a step with parallel_over'),
      },
    ]);
    expect(problems('summarise', { prompt: 'Use {steps.fetch}' })[0]?.message).toMatch(
      /continues with \.output/,
    );
  });

  it('checks models, bounds and the output schema like the parser, naming changes.<key>', () => {
    expect(problems('fetch', { model: 'sonet' })).toEqual([
      { field: 'changes.model', message: expect.stringContaining("did you mean 'sonnet'") },
    ]);
    expect(problems('fetch', { model: 'has space' })[0]?.field).toBe('changes.model');
    expect(problems('fetch', { max_turns: 0 })).toEqual([
      { field: 'changes.max_turns', message: expect.stringContaining('from 1 to 500') },
    ]);
    expect(problems('fetch', { timeout: 86_401 })[0]?.field).toBe('changes.timeout');
    expect(problems('fetch', { timeout: 1.5 })[0]?.field).toBe('changes.timeout');
    expect(problems('fetch', { output_schema: 'object' })).toEqual([
      { field: 'changes.output_schema', message: expect.stringContaining('must be a mapping') },
    ]);
    expect(problems('fetch', { output_schema: { type: 'strnig' } })[0]?.message).toMatch(/must be one of/);
    expect(problems('fetch', { prompt: '   ' })[0]).toEqual({
      field: 'changes.prompt',
      message: expect.stringContaining('must not be empty'),
    });
  });

  it('reports every problem at once', () => {
    const found = problems('fetch', { prompt: '{steps.other.output}', model: 'sonet', max_turns: 501 });
    expect(found.map((p) => p.field).sort()).toEqual([
      'changes.max_turns',
      'changes.model',
      'changes.prompt',
    ]);
  });

  it('refuses unknown keys, no changes at all, and a step that does not exist', () => {
    expect(problems('fetch', { promt: 'x' })).toEqual([
      { field: 'changes.promt', message: expect.stringContaining("did you mean 'prompt'") },
      { field: 'changes', message: expect.stringContaining('at least one of') },
    ]);
    expect(problems('fetch', {})).toEqual([
      { field: 'changes', message: expect.stringContaining('at least one') },
    ]);
    expect(problems('fetch', [])).toEqual([{ field: 'changes', message: 'changes must be a mapping' }]);
    expect(problems('fetc', { model: 'opus' })).toEqual([
      { field: 'from_step', message: "there is no step 'fetc' (did you mean 'fetch'?)" },
    ]);
  });
});
