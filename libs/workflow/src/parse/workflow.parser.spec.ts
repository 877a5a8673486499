import { definitionOf, problemsOf, workflowWith } from '../testing/parse-helpers';
import { parseWorkflowObject, parseWorkflowYaml } from './workflow.parser';
import { unclosedQuoteStart } from './unclosed-quote.util';

const minimal = `
name: Minimal
steps:
  - id: only
    prompt: Say hello
`;

describe('parseWorkflowYaml: document level', () => {
  it('applies the original defaults to a minimal workflow', () => {
    expect(definitionOf(minimal)).toEqual({
      title: 'Minimal',
      description: '',
      sandstormUrl: null,
      runtime: null,
      defaultModel: 'sonnet',
      defaultMaxTurns: 10,
      defaultTimeout: 300,
      simulation: null,
      onComplete: null,
      onFailure: null,
      schedule: null,
      notify: null,
      steps: [
        {
          id: 'only',
          prompt: 'Say hello',
          dependsOn: [],
          model: 'sonnet',
          maxTurns: 10,
          timeout: 300,
          parallelOver: null,
          outputSchema: null,
          retry: {
            maxAttempts: 1,
            backoff: 'exponential',
            onFailure: 'abort',
            baseDelaySeconds: 2,
            maxDelaySeconds: 60,
          },
          fallback: null,
          runtime: null,
          simulation: null,
        },
      ],
    });
  });

  it('produces a plain JSON value (it is stored in a jsonb column as is)', () => {
    const def = definitionOf(minimal);
    expect(JSON.parse(JSON.stringify(def))).toEqual(def);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const problems = problemsOf('name: x\nsteps:\n  - id: a\n    prompt: [unclosed\n  - id: b\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.field).toBe('yaml');
    expect(problems[0]?.message).toMatch(/^YAML error at line \d+, column \d+: /);
  });

  it.each([
    [
      'single',
      "name: 'Lead'\nsteps:\n  - id: scrape\n    prompt: 'Visit {input.url} and extract\n  - id: enrich\n    prompt: ok\n",
      4,
      13,
      "'",
    ],
    [
      'double',
      'name: x\nsteps:\n  - id: a\n    prompt: ok\n  - id: b\n    prompt: "never closed\n    model: haiku\n',
      6,
      13,
      '"',
    ],
    ['escaped', 'name: x\nsteps:\n  - id: a\n    prompt: "ends with \\"\n', 4, 13, '"'],
  ])(
    'reports an unclosed %s quote at the line where it opens, not at the end of the file',
    (_kind, yaml, line, column, quote) => {
      expect(problemsOf(yaml)).toContainEqual({
        field: 'yaml',
        message: `YAML error at line ${line}, column ${column}: the ${quote} quote opened here is never closed`,
      });
      expect(
        problemsOf(yaml)
          .map((p) => p.message)
          .join('\n'),
      ).not.toMatch(/line (7|8|9|5),/);
    },
  );

  it("does not mistake '' inside single quotes, or an escaped double quote, for an unclosed quote", () => {
    expect(
      unclosedQuoteStart('name: \'it\'\'s\'\nsteps:\n  - id: a\n    prompt: "say \\"hi\\""\n'),
    ).toBeUndefined();
    expect(
      definitionOf('name: x\nsteps:\n  - id: a\n    prompt: "say \\"hi\\" it\'\'s"\n').steps,
    ).toHaveLength(1);
  });

  it('reports duplicate YAML keys on their line', () => {
    expect(problemsOf('name: a\nname: b\nsteps: []\n')).toEqual([
      { field: 'yaml', message: expect.stringMatching(/line 2, column 1: Map keys must be unique/) },
    ]);
  });

  it('reports an alias to a missing anchor instead of throwing', () => {
    expect(problemsOf('name: x\nsteps: *nothing\n')[0]?.field).toBe('yaml');
  });

  it('refuses several documents in one text', () => {
    expect(problemsOf(`${minimal}---\n${minimal}`)[0]?.message).toMatch(/multiple documents/);
  });

  it.each([
    ['an empty text', '', /got an empty document/],
    ['a list', '- a\n- b\n', /got a list/],
    ['a scalar', 'just text', /got 'just text'/],
  ])('refuses %s at the root', (_what, text, message) => {
    expect(problemsOf(text)).toEqual([{ field: '', message: expect.stringMatching(message) }]);
  });

  it('lets steps share settings with YAML merge keys', () => {
    const def = definitionOf(`
name: Shared
steps:
  - &base
    id: a
    prompt: p
    model: haiku
    max_turns: 3
  - <<: *base
    id: b
    depends_on: [a]
`);
    expect(def.steps[1]).toMatchObject({
      id: 'b',
      prompt: 'p',
      model: 'haiku',
      maxTurns: 3,
      dependsOn: ['a'],
    });
  });
});

describe('parseWorkflowObject: top-level keys', () => {
  const steps = [{ id: 'a', prompt: 'p' }];

  it('gives the same answer as the YAML parser for the same content', () => {
    expect(parseWorkflowObject({ name: 'Minimal', steps: [{ id: 'only', prompt: 'Say hello' }] })).toEqual(
      parseWorkflowYaml(minimal),
    );
  });

  it('requires a name', () => {
    expect(problemsOf({ steps })).toEqual([
      { field: 'name', message: expect.stringMatching(/name is required/) },
    ]);
  });

  it.each([
    ['empty', '   ', /must not be empty/],
    ['not a string', 42, /must be a string, got 42/],
    ['too long', 'x'.repeat(201), /at most 200 characters/],
  ])('refuses a name that is %s', (_what, name, message) => {
    expect(problemsOf({ name, steps })).toEqual([{ field: 'name', message: expect.stringMatching(message) }]);
  });

  it('trims the title', () => {
    expect(definitionOf({ name: '  Lead Enrichment ', steps }).title).toBe('Lead Enrichment');
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', []],
  ])('requires at least one step (steps %s)', (_what, value) => {
    expect(problemsOf({ name: 'x', steps: value })).toEqual([
      { field: 'steps', message: 'a workflow must have at least one step' },
    ]);
  });

  it('refuses steps that are not a list', () => {
    expect(problemsOf({ name: 'x', steps: { a: 1 } })).toEqual([
      { field: 'steps', message: 'steps must be a list of steps, got a mapping' },
    ]);
  });

  it('refuses a step that is not a mapping', () => {
    expect(problemsOf({ name: 'x', steps: [...steps, 'b'] })).toEqual([
      { field: 'steps[1]', message: "steps[1] must be a mapping with at least id and prompt, got 'b'" },
    ]);
  });

  it('reports unknown top-level keys with a hint', () => {
    expect(problemsOf(workflowWith(steps, { default_modle: 'haiku', colour: 'red', Steps: [] }))).toEqual([
      { field: 'default_modle', message: "unknown key 'default_modle' (did you mean 'default_model'?)" },
      { field: 'colour', message: "unknown key 'colour'" },
      { field: 'Steps', message: "unknown key 'Steps' (did you mean 'steps'?)" },
    ]);
  });

  it('reads every documented top-level key', () => {
    const def = definitionOf({
      name: 'Full',
      description: 'All keys',
      sandstorm_url: '${SANDSTORM_URL}',
      runtime: 'simulated',
      default_model: 'opus',
      default_max_turns: 20,
      default_timeout: 600,
      simulation: { latency_ms: 50, cost_usd: 0.01, failure_rate: 0.1 },
      steps,
      on_complete: { webhook: 'https://hooks.example.com/done', storage_path: 'out/{run_id}.json' },
      on_failure: { dead_letter: true, webhook: '${FAILURE_HOOK}' },
      schedule: '0 9 * * 1-5',
      notify: { slack: 'https://hooks.slack.com/services/T0/B0/x' },
    });
    expect(def).toMatchObject({
      title: 'Full',
      description: 'All keys',
      sandstormUrl: '${SANDSTORM_URL}',
      runtime: 'simulated',
      defaultModel: 'opus',
      defaultMaxTurns: 20,
      defaultTimeout: 600,
      simulation: { latencyMs: 50, costUsd: 0.01, failureRate: 0.1 },
      onComplete: { webhook: 'https://hooks.example.com/done', storagePath: 'out/{run_id}.json' },
      onFailure: { deadLetter: true, webhook: '${FAILURE_HOOK}' },
      schedule: '0 9 * * 1-5',
      notify: { slack: 'https://hooks.slack.com/services/T0/B0/x' },
    });
    expect(def.steps[0]).toMatchObject({ model: 'opus', maxTurns: 20, timeout: 600, runtime: 'simulated' });
  });

  it('treats an explicit null like a missing key', () => {
    const def = definitionOf({ name: 'x', description: null, on_failure: null, steps });
    expect(def.description).toBe('');
    expect(def.onFailure).toBeNull();
  });

  it.each([
    ['default_max_turns', 0, /default_max_turns must be an integer from 1 to 500, got 0/],
    ['default_max_turns', 501, /from 1 to 500, got 501/],
    ['default_max_turns', 2.5, /must be an integer/],
    ['default_timeout', 86_401, /default_timeout must be an integer from 1 to 86400/],
    ['default_timeout', '300', /got '300'/],
    ['default_model', '', /default_model must not be empty/],
    ['default_model', 'claude sonnet', /is not a model name/],
    ['default_model', 'sonet', /unknown model 'sonet' \(did you mean 'sonnet'\?\)/],
    ['description', 5, /description must be a string/],
    ['schedule', 5, /schedule must be a string/],
    [
      'runtime',
      'local',
      /runtime must be one of 'sandstorm', 'simulated', 'anthropic', 'openai', got 'local'/,
    ],
    ['runtime', 'simulate', /\(did you mean 'simulated'\?\)/],
    ['on_complete', 'https://x', /on_complete must be a mapping, got 'https:\/\/x'/],
    ['on_failure', 'skip', /on_failure must be a mapping/],
    ['simulation', [1], /simulation must be a mapping, got a list/],
  ])('refuses %s = %j', (key, value, message) => {
    expect(problemsOf(workflowWith(steps, { [key]: value }))).toEqual([
      { field: key, message: expect.stringMatching(message) },
    ]);
  });

  it.each([['claude-sonnet-4-5-20250929'], ['gpt-4o'], ['llama3.1:8b'], ['haiku']])(
    'accepts the model name %s as written',
    (model) => {
      expect(definitionOf(workflowWith(steps, { default_model: model })).defaultModel).toBe(model);
    },
  );

  it('hints at the lower-case alias for a capitalised one', () => {
    expect(problemsOf(workflowWith(steps, { default_model: 'Opus' }))).toEqual([
      { field: 'default_model', message: "unknown model 'Opus' (did you mean 'opus'?)" },
    ]);
  });
});

describe('parseWorkflowObject: URLs, hooks and simulation', () => {
  const steps = [{ id: 'a', prompt: 'p' }];

  it.each([['${SANDSTORM_URL}'], ['https://${SANDSTORM_HOST}:8000'], ['http://localhost:8000']])(
    'accepts sandstorm_url %s',
    (url) => {
      expect(definitionOf(workflowWith(steps, { sandstorm_url: url })).sandstormUrl).toBe(url);
    },
  );

  it.each([
    ['${SANDSTORM_URL', /'\$\{SANDSTORM_URL' has no closing '}'/],
    ['${}', /'\$\{}' is not a valid variable/],
    ['${1URL}', /'\$\{1URL}' is not a valid variable/],
    ['${SANDSTORM-URL}', /'\$\{SANDSTORM-URL}' is not a valid variable/],
    ['localhost:8000', /must be the name of a runtime endpoint, an http\(s\) URL or \$\{VAR}/],
    ['Not A Name', /must be the name of a runtime endpoint/],
    ['ftp://files.example.com', /an http\(s\) URL/],
  ])('refuses sandstorm_url %s', (url, message) => {
    expect(problemsOf(workflowWith(steps, { sandstorm_url: url }))).toEqual([
      { field: 'sandstorm_url', message: expect.stringMatching(message) },
    ]);
  });

  it('checks the ${VAR} syntax of both webhooks', () => {
    expect(
      problemsOf(
        workflowWith(steps, { on_complete: { webhook: '${A' }, on_failure: { webhook: 'https://x/${B C}' } }),
      ),
    ).toEqual([
      {
        field: 'on_complete.webhook',
        message: expect.stringMatching(/^on_complete.webhook: '\$\{A' has no closing/),
      },
      {
        field: 'on_failure.webhook',
        message: expect.stringMatching(/^on_failure.webhook: '\$\{B C}' is not a valid variable/),
      },
    ]);
  });

  it('reports unknown keys inside on_complete and on_failure', () => {
    expect(
      problemsOf(workflowWith(steps, { on_complete: { storage: 'x' }, on_failure: { deadletter: true } })),
    ).toEqual([
      {
        field: 'on_complete.storage',
        message: "unknown key 'storage' in on_complete (did you mean 'storage_path'?)",
      },
      {
        field: 'on_failure.deadletter',
        message: "unknown key 'deadletter' in on_failure (did you mean 'dead_letter'?)",
      },
    ]);
  });

  it('defaults dead_letter to false and refuses a non-boolean', () => {
    expect(definitionOf(workflowWith(steps, { on_failure: {} })).onFailure).toEqual({
      deadLetter: false,
      webhook: null,
    });
    expect(problemsOf(workflowWith(steps, { on_failure: { dead_letter: 'yes' } }))).toEqual([
      { field: 'on_failure.dead_letter', message: "on_failure.dead_letter must be true or false, got 'yes'" },
    ]);
  });

  it.each([
    ['/etc/passwd', 'must be relative'],
    ['../outside/{run_id}.json', "must not contain '..'"],
    ['a/../../b', "must not contain '..'"],
    ['C:\\data', 'contains a backslash'],
    ['leads/..%2Fother/x.json', 'percent-encoded'],
    ['leads/{run_id}/%5c..%5cx', 'percent-encoded'],
  ])('refuses storage_path %p outside the storage root (%s)', (path, reason) => {
    expect(problemsOf(workflowWith(steps, { on_complete: { storage_path: path } }))).toEqual([
      {
        field: 'on_complete.storage_path',
        message: expect.stringContaining(reason) as string,
      },
    ]);
    expect(problemsOf(workflowWith(steps, { on_complete: { storage_path: path } }))[0]!.message).toContain(
      'STORAGE_PATH_INVALID',
    );
  });

  it('checks step references in storage_path', () => {
    expect(
      problemsOf(
        workflowWith(steps, { on_complete: { storage_path: 'out/{steps.b.output.id}/{input._item}' } }),
      ),
    ).toEqual([
      {
        field: 'on_complete.storage_path',
        message: "on_complete.storage_path uses {steps.b.output.id}: there is no step 'b'",
      },
      {
        field: 'on_complete.storage_path',
        message:
          'on_complete.storage_path uses {input._item}, which only exists in a step with parallel_over',
      },
    ]);
  });

  it('lets a step override workflow simulation settings field by field', () => {
    const def = definitionOf(
      workflowWith(
        [
          { id: 'a', prompt: 'p', simulation: { cost_usd: 0.5 } },
          { id: 'b', prompt: 'p' },
        ],
        { simulation: { latency_ms: 100, cost_usd: 0.01 } },
      ),
    );
    expect(def.simulation).toEqual({ latencyMs: 100, costUsd: 0.01 });
    expect(def.steps[0]?.simulation).toEqual({ latencyMs: 100, costUsd: 0.5 });
    expect(def.steps[1]?.simulation).toEqual({ latencyMs: 100, costUsd: 0.01 });
  });

  it('refuses out-of-range and unknown simulation settings', () => {
    expect(
      problemsOf(
        workflowWith([{ id: 'a', prompt: 'p', simulation: { failure_rate: 1.5, latency: 3 } }], {
          simulation: { latency_ms: -1, cost_usd: 'free' },
        }),
      ),
    ).toEqual([
      {
        field: 'simulation.latency_ms',
        message: expect.stringMatching(/latency_ms must be an integer from 0/),
      },
      {
        field: 'simulation.cost_usd',
        message: expect.stringMatching(/cost_usd must be a number from 0 to 1000/),
      },
      {
        field: 'steps[0].simulation.latency',
        message: "step 'a': unknown key 'latency' in simulation (did you mean 'latency_ms'?)",
      },
      {
        field: 'steps[0].simulation.failure_rate',
        message: "step 'a': simulation.failure_rate must be a number from 0 to 1, got 1.5",
      },
    ]);
  });

  it('reports every problem of a workflow at once', () => {
    const problems = problemsOf(`
name: ""
colour: red
default_timeout: 0
steps:
  - id: scrape
    prompt: Visit {input.url}
    retry: { backoff: linear }
  - id: enrich
    depends_on: [scrap]
    prompt: "{steps.scrape.output}"
`);
    expect(problems.map((p) => p.field)).toEqual([
      'colour',
      'name',
      'default_timeout',
      'steps[0].retry.backoff',
      'steps[1].depends_on',
      'steps[1].prompt',
    ]);
  });
});
