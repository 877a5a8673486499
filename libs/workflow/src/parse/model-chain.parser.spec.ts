import { parseWorkflowObject, type ParseResult } from './workflow.parser';
import { chainOf, storedModelProblems, type ModelPolicy } from './model-chain.parser';

const REGISTRY: ModelPolicy = {
  aliases: ['haiku', 'sonnet', 'opus', 'gpt-4o', 'gpt-4o-mini', 'llama3.1:8b'],
};

function parse(top: Record<string, unknown>, steps: Record<string, unknown>[]): ParseResult {
  return parseWorkflowObject({ name: 'Chains', ...top, steps }, { models: REGISTRY });
}

function ok(result: ParseResult) {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

describe('models: fallback chains and the model registry', () => {
  it('reads a step chain; model is its first entry', () => {
    const { definition } = ok(
      parse({ runtime: 'anthropic' }, [{ id: 'a', prompt: 'p', models: ['sonnet', 'gpt-4o'] }]),
    );
    expect(definition.steps[0]).toMatchObject({
      model: 'sonnet',
      models: ['sonnet', 'gpt-4o'],
      runtime: 'anthropic',
    });
    expect(chainOf(definition.steps[0]!)).toEqual(['sonnet', 'gpt-4o']);
  });

  it('a workflow chain applies to steps without their own model; a step model replaces it', () => {
    const { definition } = ok(
      parse({ runtime: 'openai', models: ['gpt-4o', 'llama3.1:8b'] }, [
        { id: 'a', prompt: 'p' },
        { id: 'b', prompt: 'p', model: 'gpt-4o-mini' },
      ]),
    );
    expect(definition.models).toEqual(['gpt-4o', 'llama3.1:8b']);
    expect(chainOf(definition.steps[0]!)).toEqual(['gpt-4o', 'llama3.1:8b']);
    expect(chainOf(definition.steps[1]!)).toEqual(['gpt-4o-mini']);
  });

  it('an unknown model is a problem with a suggestion, on model and on models', () => {
    const result = parse({ runtime: 'anthropic' }, [
      { id: 'a', prompt: 'p', model: 'sonet' },
      { id: 'b', prompt: 'p', models: ['opus', 'gpt-4-o'] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { field: 'steps[0].model', message: "step 'a': unknown model 'sonet' (did you mean 'sonnet'?)" },
      {
        field: 'steps[1].models',
        message:
          "step 'b': unknown model 'gpt-4-o': not in the operator's model registry (did you mean 'gpt-4o'?)",
      },
    ]);
  });

  it('the workflow default_model is checked for model API steps', () => {
    const result = parse({ runtime: 'openai', default_model: 'mistral-large' }, [{ id: 'a', prompt: 'p' }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.message).toContain("unknown model 'mistral-large'");
  });

  it('models on a step of another runtime is a problem', () => {
    const result = parse({}, [{ id: 'a', prompt: 'p', models: ['sonnet', 'opus'] }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        field: 'steps[0].models',
        message: "step 'a': models (a fallback chain) needs runtime anthropic or openai",
      },
    ]);
  });

  it('model and models that disagree, repeats, and too long chains are problems', () => {
    const result = parse({ runtime: 'anthropic' }, [
      { id: 'a', prompt: 'p', model: 'opus', models: ['sonnet'] },
      { id: 'b', prompt: 'p', models: ['sonnet', 'sonnet'] },
      { id: 'c', prompt: 'p', models: Array.from({ length: 9 }, (_, i) => `m${i}`) },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual([
      'steps[0].models',
      'steps[1].models',
      'steps[2].models',
    ]);
  });

  it('max_turns on a model API step is a warning, not a problem', () => {
    const result = ok(parse({ runtime: 'anthropic' }, [{ id: 'a', prompt: 'p', max_turns: 5 }]));
    expect(result.warnings).toEqual([
      {
        field: 'steps[0].max_turns',
        message: "step 'a': max_turns is ignored by the anthropic runtime (one model call per attempt)",
      },
    ]);
  });

  it('sandstorm and simulated steps keep passing any plausible model id through', () => {
    const result = ok(
      parse({}, [{ id: 'a', prompt: 'p', model: 'claude-sonnet-4-5-20250929', max_turns: 5 }]),
    );
    expect(result.warnings).toEqual([]);
    expect(result.definition.steps[0]).not.toHaveProperty('models');
  });
});

describe('storedModelProblems', () => {
  it('names models of a stored definition that left the registry, only on model API steps', () => {
    const result = parse({ runtime: 'anthropic' }, [
      { id: 'a', prompt: 'p', models: ['sonnet', 'gpt-4o'] },
      { id: 'b', prompt: 'p', runtime: 'simulated', model: 'whatever' },
      { id: 'c', type: 'approval', message: 'ok?' },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const stored = JSON.parse(JSON.stringify(result.definition)) as Record<string, unknown>;
    expect(storedModelProblems(stored, REGISTRY)).toEqual([]);
    expect(storedModelProblems(stored, { aliases: ['sonnet', 'gpt-4o-mini'] })).toEqual([
      {
        field: 'steps[0].model',
        message: "step 'a': model 'gpt-4o' is no longer in the operator's model registry",
      },
    ]);
  });
});
