import { definitionOf, problemsOf, workflowWith } from '../testing/parse-helpers';

const one = (step: Record<string, unknown>, top: Record<string, unknown> = {}) =>
  workflowWith([{ id: 'a', prompt: 'p', ...step }], top);

describe('step keys', () => {
  it('reads every documented step key', () => {
    const def = definitionOf(
      workflowWith([
        {
          id: 'src',
          prompt: 'list',
          output_schema: { type: 'object', properties: { items: { type: 'array' } } },
        },
        {
          id: 'each',
          prompt: 'handle {input._item}',
          depends_on: ['src'],
          model: 'opus',
          max_turns: 25,
          timeout: 900,
          parallel_over: 'steps.src.output.items',
          retry: {
            max_attempts: 5,
            backoff: 'fixed',
            on_failure: 'fallback',
            base_delay_seconds: 0.5,
            max_delay_seconds: 10,
          },
          fallback: { prompt: 'simpler {input._item}' },
          runtime: 'simulated',
        },
      ]),
    );
    expect(def.steps[1]).toEqual({
      id: 'each',
      prompt: 'handle {input._item}',
      dependsOn: ['src'],
      model: 'opus',
      maxTurns: 25,
      timeout: 900,
      parallelOver: 'steps.src.output.items',
      maxConcurrency: 10,
      outputSchema: null,
      retry: {
        maxAttempts: 5,
        backoff: 'fixed',
        onFailure: 'fallback',
        baseDelaySeconds: 0.5,
        maxDelaySeconds: 10,
      },
      fallback: { prompt: 'simpler {input._item}', model: 'haiku' },
      runtime: 'simulated',
      simulation: null,
    });
    expect(def.steps[0]?.outputSchema).toEqual({ type: 'object', properties: { items: { type: 'array' } } });
  });

  it('inherits model, max_turns, timeout and runtime from the workflow', () => {
    const def = definitionOf(
      workflowWith(
        [
          { id: 'a', prompt: 'p' },
          { id: 'b', prompt: 'p', model: 'haiku', runtime: 'sandstorm' },
        ],
        {
          default_model: 'opus',
          default_max_turns: 3,
          default_timeout: 60,
          runtime: 'simulated',
        },
      ),
    );
    expect(def.steps.map((s) => [s.model, s.maxTurns, s.timeout, s.runtime])).toEqual([
      ['opus', 3, 60, 'simulated'],
      ['haiku', 3, 60, 'sandstorm'],
    ]);
  });

  it('removes repeated dependencies', () => {
    const def = definitionOf(
      workflowWith([
        { id: 'a', prompt: 'p' },
        { id: 'b', prompt: 'p', depends_on: ['a', 'a'] },
      ]),
    );
    expect(def.steps[1]?.dependsOn).toEqual(['a']);
  });

  it('requires id and prompt, naming the step by position when it has no id', () => {
    expect(problemsOf(workflowWith([{ model: 'haiku' }]))).toEqual([
      { field: 'steps[0].id', message: 'steps[0]: id is required' },
      { field: 'steps[0].prompt', message: 'steps[0]: prompt is required' },
    ]);
  });

  it.each([
    ['has a space', 'fetch leads'],
    ['has a dot', 'fetch.leads'],
    ['has a colon', 'fetch:leads'],
    ['is too long', 'x'.repeat(101)],
  ])('refuses an id that %s', (_what, id) => {
    expect(problemsOf(workflowWith([{ id, prompt: 'p' }]))).toEqual([
      {
        field: 'steps[0].id',
        message: expect.stringMatching(/may only contain letters, digits, '_' and '-'/),
      },
    ]);
  });

  it('accepts ids with dashes, underscores and digits', () => {
    expect(definitionOf(workflowWith([{ id: 'Fetch-leads_2', prompt: 'p' }])).steps[0]?.id).toBe(
      'Fetch-leads_2',
    );
  });

  it('refuses an empty prompt and a non-string id', () => {
    expect(problemsOf(workflowWith([{ id: 7, prompt: ' ' }]))).toEqual([
      { field: 'steps[0].id', message: 'steps[0]: id must be a string, got 7' },
      { field: 'steps[0].prompt', message: 'steps[0]: prompt must not be empty' },
    ]);
  });

  it('reports unknown step keys with a hint, and keys that belong in retry', () => {
    expect(
      problemsOf(one({ depend_on: ['x'], parallel: 'input.x', dependsOn: [], on_failure: 'skip' })),
    ).toEqual([
      {
        field: 'steps[0].depend_on',
        message: "step 'a': unknown key 'depend_on' (did you mean 'depends_on'?)",
      },
      {
        field: 'steps[0].parallel',
        message: "step 'a': unknown key 'parallel' (did you mean 'parallel_over'?)",
      },
      {
        field: 'steps[0].dependsOn',
        message: "step 'a': unknown key 'dependsOn' (did you mean 'depends_on'?)",
      },
      {
        field: 'steps[0].on_failure',
        message: "step 'a': unknown key 'on_failure' (it belongs inside retry:)",
      },
    ]);
  });

  it.each([
    ['depends_on', 'b', "depends_on must be a list of strings, got 'b'"],
    ['depends_on', [1], 'depends_on must be a list of strings, got a list'],
    ['model', 'hiaku', "unknown model 'hiaku' (did you mean 'haiku'?)"],
    ['model', 5, 'model must be a string, got 5'],
    ['max_turns', 0, 'max_turns must be an integer from 1 to 500, got 0'],
    ['max_turns', 10.5, 'max_turns must be an integer from 1 to 500, got 10.5'],
    ['timeout', 86_401, 'timeout must be an integer from 1 to 86400, got 86401'],
    ['timeout', '5m', "timeout must be an integer from 1 to 86400, got '5m'"],
    ['parallel_over', ['input.x'], 'parallel_over must be a string, got a list'],
    ['output_schema', 'object', "output_schema must be a mapping, got 'object'"],
    ['output_schema', [{ type: 'object' }], 'output_schema must be a mapping, got a list'],
    [
      'runtime',
      'local',
      "runtime must be one of 'sandstorm', 'simulated', 'anthropic', 'openai', got 'local'",
    ],
    ['retry', 3, 'retry must be a mapping, got 3'],
    ['fallback', 'try again', "fallback must be a mapping, got 'try again'"],
  ])('refuses %s = %j', (key, value, message) => {
    expect(problemsOf(one({ [key]: value }))).toEqual([
      { field: `steps[0].${key}`, message: `step 'a': ${message}` },
    ]);
  });
});

describe('max_concurrency', () => {
  const fanOut = (extra: Record<string, unknown>) =>
    workflowWith([
      { id: 'src', prompt: 'p' },
      {
        id: 'each',
        prompt: 'p {input._item}',
        depends_on: ['src'],
        parallel_over: 'steps.src.output',
        ...extra,
      },
    ]);

  it('defaults to 10 on a fan-out step and keeps a given value', () => {
    expect(definitionOf(fanOut({})).steps[1]?.maxConcurrency).toBe(10);
    expect(definitionOf(fanOut({ max_concurrency: 3 })).steps[1]?.maxConcurrency).toBe(3);
    expect(definitionOf(fanOut({})).steps[0]).not.toHaveProperty('maxConcurrency');
  });

  it.each([0, -1, 2.5, 10_001, '5'])('refuses max_concurrency = %j', (value) => {
    expect(problemsOf(fanOut({ max_concurrency: value }))).toEqual([
      {
        field: 'steps[1].max_concurrency',
        message: expect.stringContaining('max_concurrency must be an integer from 1 to 10000') as unknown,
      },
    ]);
  });

  it('refuses max_concurrency on a step without parallel_over', () => {
    expect(problemsOf(one({ max_concurrency: 5 }))).toEqual([
      {
        field: 'steps[0].max_concurrency',
        message: "step 'a': max_concurrency only applies to a step with parallel_over",
      },
    ]);
  });
});

describe('output_schema', () => {
  it.each([
    [
      { type: 'obejct' },
      'output_schema.type must be one of object, array, string, number, integer, boolean, null',
    ],
    [
      { type: 'object', properties: { n: { type: 'int' } } },
      'output_schema.properties.n.type must be one of',
    ],
    [{ type: 'array', items: { type: 'text' } }, 'output_schema.items.type must be one of'],
    [{ anyOf: [{ type: 'string' }, { type: 3 }] }, 'output_schema.anyOf[1].type must be one of'],
    [{ type: [] }, 'output_schema.type must be one of'],
  ])('refuses the bad type in %j', (schema, message) => {
    expect(problemsOf(one({ output_schema: schema }))[0]?.message).toContain(message);
  });

  it('accepts a list of types and nested schemas', () => {
    const schema = {
      type: 'object',
      properties: { tags: { type: 'array', items: { type: ['string', 'null'] } } },
      required: ['tags'],
    };
    expect(definitionOf(one({ output_schema: schema })).steps[0]?.outputSchema).toEqual(schema);
  });

  it('refuses values that are not plain JSON (YAML binary data, infinities)', () => {
    expect(
      problemsOf('name: x\nsteps:\n  - id: a\n    prompt: p\n    output_schema: { maximum: .inf }\n'),
    ).toEqual([
      {
        field: 'steps[0].output_schema',
        message: "step 'a': output_schema.maximum is not a plain JSON value",
      },
    ]);
    expect(
      problemsOf('name: x\nsteps:\n  - id: a\n    prompt: p\n    output_schema: { x: !!binary aGk= }\n')[0]
        ?.message,
    ).toBe("step 'a': output_schema.x is not a plain JSON value");
  });
});

describe('retry', () => {
  it('defaults to 3 attempts, exponential, abort, 2 s base and 60 s cap when the block exists', () => {
    expect(definitionOf(one({ retry: {} })).steps[0]?.retry).toEqual({
      maxAttempts: 3,
      backoff: 'exponential',
      onFailure: 'abort',
      baseDelaySeconds: 2,
      maxDelaySeconds: 60,
    });
  });

  it('means one attempt and abort without a block', () => {
    expect(definitionOf(one({})).steps[0]?.retry).toMatchObject({ maxAttempts: 1, onFailure: 'abort' });
  });

  it.each([
    ['max_attempts', 0, 'retry.max_attempts must be an integer from 1 to 20, got 0'],
    ['max_attempts', 21, 'retry.max_attempts must be an integer from 1 to 20, got 21'],
    ['backoff', 'linear', "retry.backoff must be one of 'exponential', 'fixed', got 'linear'"],
    [
      'backoff',
      'exponentail',
      "retry.backoff must be one of 'exponential', 'fixed', got 'exponentail' (did you mean 'exponential'?)",
    ],
    ['on_failure', 'continue', "retry.on_failure must be one of 'abort', 'skip', 'fallback', got 'continue'"],
    [
      'on_failure',
      'skipp',
      "retry.on_failure must be one of 'abort', 'skip', 'fallback', got 'skipp' (did you mean 'skip'?)",
    ],
    ['base_delay_seconds', -1, 'retry.base_delay_seconds must be a number from 0 to 3600, got -1'],
    [
      'max_delay_seconds',
      'a minute',
      "retry.max_delay_seconds must be a number from 0 to 86400, got 'a minute'",
    ],
  ])('refuses retry.%s = %j', (key, value, message) => {
    expect(problemsOf(one({ retry: { [key]: value } }))).toEqual([
      { field: `steps[0].retry.${key}`, message: `step 'a': ${message}` },
    ]);
  });

  it('reports unknown retry keys with a hint', () => {
    expect(problemsOf(one({ retry: { max_attempt: 2 } }))).toEqual([
      {
        field: 'steps[0].retry.max_attempt',
        message: "step 'a': unknown key 'max_attempt' in retry (did you mean 'max_attempts'?)",
      },
    ]);
  });

  it('refuses a cap below the base delay', () => {
    expect(problemsOf(one({ retry: { base_delay_seconds: 10, max_delay_seconds: 5 } }))).toEqual([
      {
        field: 'steps[0].retry.max_delay_seconds',
        message: "step 'a': retry.max_delay_seconds (5) must not be less than retry.base_delay_seconds (10)",
      },
    ]);
    expect(problemsOf(one({ retry: { base_delay_seconds: 90 } }))[0]?.field).toBe(
      'steps[0].retry.base_delay_seconds',
    );
  });
});

describe('fallback', () => {
  it('defaults the fallback model to haiku', () => {
    const def = definitionOf(one({ retry: { on_failure: 'fallback' }, fallback: { prompt: 'simpler' } }));
    expect(def.steps[0]?.fallback).toEqual({ prompt: 'simpler', model: 'haiku' });
  });

  it('requires a fallback block when on_failure is fallback', () => {
    expect(problemsOf(one({ retry: { on_failure: 'fallback' } }))).toEqual([
      {
        field: 'steps[0].fallback',
        message: "step 'a': retry.on_failure is 'fallback' but there is no fallback block with a prompt",
      },
    ]);
  });

  it.each([[{}], [{ prompt: '' }], [{ prompt: '  ', model: 'opus' }]])(
    'requires a fallback prompt when on_failure is fallback (%j)',
    (fallback) => {
      expect(problemsOf(one({ retry: { on_failure: 'fallback' }, fallback }))).toEqual([
        {
          field: 'steps[0].fallback.prompt',
          message: "step 'a': retry.on_failure is 'fallback' but fallback.prompt is missing or empty",
        },
      ]);
    },
  );

  it('keeps a fallback that on_failure does not use, and drops an empty one', () => {
    expect(definitionOf(one({ fallback: { prompt: 'x', model: 'opus' } })).steps[0]?.fallback).toEqual({
      prompt: 'x',
      model: 'opus',
    });
    expect(definitionOf(one({ fallback: { prompt: '' } })).steps[0]?.fallback).toBeNull();
  });

  it('reports unknown keys and bad models in fallback', () => {
    expect(problemsOf(one({ fallback: { promt: 'x', model: 'sonnnet' } }))).toEqual([
      {
        field: 'steps[0].fallback.promt',
        message: "step 'a': unknown key 'promt' in fallback (did you mean 'prompt'?)",
      },
      {
        field: 'steps[0].fallback.model',
        message: "step 'a': unknown model 'sonnnet' (did you mean 'sonnet'?)",
      },
    ]);
  });
});

describe('YAML-level surprises inside steps', () => {
  it('reports an unknown YAML tag', () => {
    expect(problemsOf('name: x\nsteps:\n  - id: a\n    prompt: !secret p\n')[0]).toEqual({
      field: 'yaml',
      message: expect.stringMatching(/line 4, .*Unresolved tag: !secret/),
    });
  });
});
