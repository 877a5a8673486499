import { definitionOf, problemsOf, workflowWith } from '../testing/parse-helpers';

describe('template references in prompts', () => {
  it('accepts references to direct and transitive dependencies, with dashes in ids', () => {
    expect(() =>
      definitionOf(
        workflowWith([
          { id: 'fetch-leads', prompt: 'Fetch {input.url} on {date} for run {run_id}' },
          { id: 'enrich', prompt: 'Enrich {steps.fetch-leads.output.items.0}', depends_on: ['fetch-leads'] },
          { id: 'score', prompt: '{steps.fetch-leads.output} {steps.enrich.output}', depends_on: ['enrich'] },
        ]),
      ),
    ).not.toThrow();
  });

  it('reports references to unknown steps, with a hint', () => {
    expect(
      problemsOf(
        workflowWith([
          { id: 'analyze', prompt: 'p' },
          { id: 'summarize', prompt: 'Summarise {steps.analyse.output}', depends_on: ['analyze'] },
        ]),
      ),
    ).toEqual([
      {
        field: 'steps[1].prompt',
        message:
          "step 'summarize': prompt uses {steps.analyse.output}: there is no step 'analyse' (did you mean 'analyze'?)",
      },
    ]);
  });

  it('reports references to steps that are not dependencies (their output would not exist yet)', () => {
    expect(
      problemsOf(
        workflowWith([
          { id: 'a', prompt: 'p' },
          { id: 'b', prompt: 'uses {steps.a.output.x}' },
          { id: 'c', prompt: 'uses {steps.c.output}', depends_on: ['a'] },
        ]),
      ),
    ).toEqual([
      {
        field: 'steps[1].prompt',
        message:
          "step 'b': prompt uses {steps.a.output.x}: 'a' is not among this step's dependencies, so its output would not exist yet (add it to depends_on)",
      },
      {
        field: 'steps[2].prompt',
        message: expect.stringMatching(/^step 'c': prompt uses \{steps.c.output\}: 'c' is not among/),
      },
    ]);
  });

  it('reports step references that do not go through .output', () => {
    expect(
      problemsOf(
        workflowWith([
          { id: 'a', prompt: 'p' },
          { id: 'b', prompt: '{steps.a.result} {steps.a}', depends_on: ['a'] },
        ]),
      ),
    ).toEqual([
      {
        field: 'steps[1].prompt',
        message:
          "step 'b': prompt uses {steps.a.result}: a step reference continues with .output, e.g. {steps.a.output}",
      },
      {
        field: 'steps[1].prompt',
        message:
          "step 'b': prompt uses {steps.a}: a step reference continues with .output, e.g. {steps.a.output}",
      },
    ]);
  });

  it('reports {input._item} and {input._index} outside a fan-out step', () => {
    expect(
      problemsOf(workflowWith([{ id: 'a', prompt: 'Item {input._item.name} #{input._index}' }])),
    ).toEqual([
      {
        field: 'steps[0].prompt',
        message: "step 'a': prompt uses {input._item.name}, which only exists in a step with parallel_over",
      },
      {
        field: 'steps[0].prompt',
        message: "step 'a': prompt uses {input._index}, which only exists in a step with parallel_over",
      },
    ]);
  });

  it('checks the fallback prompt like the prompt', () => {
    expect(
      problemsOf(
        workflowWith([
          {
            id: 'a',
            prompt: 'p',
            retry: { on_failure: 'fallback' },
            fallback: { prompt: 'again {steps.zzz.output}' },
          },
        ]),
      ),
    ).toEqual([
      {
        field: 'steps[0].fallback.prompt',
        message: "step 'a': fallback.prompt uses {steps.zzz.output}: there is no step 'zzz'",
      },
    ]);
  });

  it('ignores literal JSON, storage references and spaced braces', () => {
    expect(() =>
      definitionOf(
        workflowWith([
          {
            id: 'a',
            prompt: 'Return {"score": 1, "steps": {}} and {storage.notes.md} and { steps.x.output }',
          },
        ]),
      ),
    ).not.toThrow();
  });
});

describe('parallel_over', () => {
  const source = { id: 'src', prompt: 'p' };
  const fan = (parallelOver: string, extra: Record<string, unknown> = {}) =>
    workflowWith([
      source,
      { id: 'each', prompt: 'do {input._item} ({input._index})', parallel_over: parallelOver, ...extra },
    ]);

  it.each([['input.companies'], ['input.groups.0.members']])('accepts %s', (path) => {
    expect(definitionOf(fan(path)).steps[1]?.parallelOver).toBe(path);
  });

  it('accepts the output of a (transitive) dependency', () => {
    expect(definitionOf(fan('steps.src.output.items', { depends_on: ['src'] })).steps[1]?.parallelOver).toBe(
      'steps.src.output.items',
    );
    expect(() =>
      definitionOf(
        workflowWith([
          source,
          { id: 'mid', prompt: 'p', depends_on: ['src'] },
          { id: 'each', prompt: '{input._item}', parallel_over: 'steps.src.output', depends_on: ['mid'] },
        ]),
      ),
    ).not.toThrow();
  });

  it.each([
    ['{input.companies}', "parallel_over is a path without braces, e.g. 'input.companies'"],
    ['{steps.src.output.items}', "parallel_over is a path without braces, e.g. 'steps.src.output.items'"],
    ['input', "parallel_over 'input' must start with input. or steps.<step id>.output"],
    ['companies', "parallel_over 'companies' must start with input. or steps.<step id>.output"],
    [
      'input..x',
      "parallel_over 'input..x' is not a dotted path such as input.items or steps.fetch.output.items",
    ],
    [
      'input.my list',
      "parallel_over 'input.my list' is not a dotted path such as input.items or steps.fetch.output.items",
    ],
    ['input._item', 'parallel_over cannot use _item: it fans out over the run input'],
    [
      'steps.src.items',
      "parallel_over 'steps.src.items' must continue with .output, e.g. steps.src.output.items",
    ],
    ['steps.nope.output', "parallel_over 'steps.nope.output': there is no step 'nope'"],
  ])('refuses %s', (path, message) => {
    expect(problemsOf(fan(path, { depends_on: ['src'] }))).toEqual([
      { field: 'steps[1].parallel_over', message: `step 'each': ${message}` },
    ]);
  });

  it('refuses the output of a step that is not a dependency', () => {
    expect(problemsOf(fan('steps.src.output.items'))).toEqual([
      {
        field: 'steps[1].parallel_over',
        message:
          "step 'each': parallel_over 'steps.src.output.items': 'src' is not among this step's dependencies, so its output would not exist yet (add it to depends_on)",
      },
    ]);
  });
});
