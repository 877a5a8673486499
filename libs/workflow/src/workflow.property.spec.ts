import fc from 'fast-check';
import { utf8Bytes } from '@sandcastle/contracts';
import { stringify } from 'yaml';
import { parseWorkflowObject, parseWorkflowYaml, type ParseResult } from './parse/workflow.parser';
import { renderTemplate, TemplateTooLargeError } from './templates/render-template.util';
import type { TemplateContext } from './templates/template-context';

/**
 * Property tests: whatever a tenant sends, the parser and validator answer with a definition or
 * with problems, and the renderer with text (or, with a limit, TemplateTooLargeError) — never
 * with another exception. Inputs are bounded in size, so each run is bounded in time; nothing
 * here measures time.
 */
const RUNS = { numRuns: 300 };

function expectWellFormed(result: ParseResult): void {
  if (result.ok) {
    expect(typeof result.definition.title).toBe('string');
    expect(result.definition.steps.length).toBeGreaterThan(0);
  } else {
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) {
      expect(typeof p.field).toBe('string');
      expect(typeof p.message).toBe('string');
    }
  }
}

const ids = fc.constantFrom('a', 'b', 'c', 'fetch', 'my-step', 'x_1', 'bad id', '', 'a.b');
const placeholder = fc
  .tuple(
    fc.constantFrom('input', 'steps', 'run_id', 'date', 'storage', 'Input'),
    fc.array(fc.oneof(ids, fc.constantFrom('output', '_item', '_index', '0', '__proto__')), { maxLength: 4 }),
  )
  .map(([root, rest]) => `{${[root, ...rest].join('.')}}`);
const templateText = fc
  .array(
    fc.oneof(placeholder, fc.string({ maxLength: 12 }), fc.constantFrom('{', '}', '{{', '}}', '{"a": 1}')),
    {
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''));
const stepLike = fc.record(
  {
    id: fc.oneof(ids, fc.anything({ maxDepth: 1 })),
    prompt: fc.oneof(templateText, fc.anything({ maxDepth: 1 })),
    depends_on: fc.oneof(fc.array(ids, { maxLength: 4 }), ids, fc.anything({ maxDepth: 1 })),
    parallel_over: fc.oneof(
      fc.constantFrom('input.items', 'steps.a.output', 'steps.b.output.list', '{input.x}', 'input._item'),
      fc.anything({ maxDepth: 1 }),
    ),
    retry: fc.oneof(
      fc.record(
        {
          max_attempts: fc.integer({ min: -5, max: 50 }),
          backoff: fc.constantFrom('fixed', 'exponential', 'x'),
          on_failure: fc.constantFrom('abort', 'skip', 'fallback', 'nope'),
        },
        { requiredKeys: [] },
      ),
      fc.anything({ maxDepth: 1 }),
    ),
    fallback: fc.oneof(
      fc.record({ prompt: templateText, model: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }),
      fc.anything({ maxDepth: 1 }),
    ),
    output_schema: fc.anything({ maxDepth: 3 }),
    model: fc.oneof(fc.constantFrom('sonnet', 'haiku', ''), fc.anything({ maxDepth: 0 })),
    timeout: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 })),
    runtime: fc.oneof(fc.constantFrom('simulated', 'sandstorm', 'other'), fc.anything({ maxDepth: 0 })),
  },
  { requiredKeys: [] },
);
const workflowLike = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 30 }), fc.anything({ maxDepth: 1 })),
    steps: fc.oneof(fc.array(stepLike, { maxLength: 8 }), fc.anything({ maxDepth: 2 })),
    description: fc.anything({ maxDepth: 1 }),
    sandstorm_url: fc.oneof(
      fc.constantFrom('${SANDSTORM_URL}', 'https://x.test', 'ftp://y', '${}'),
      fc.anything({ maxDepth: 0 }),
    ),
    on_complete: fc.anything({ maxDepth: 2 }),
    on_failure: fc.anything({ maxDepth: 2 }),
    simulation: fc.anything({ maxDepth: 2 }),
    default_timeout: fc.anything({ maxDepth: 0 }),
  },
  { requiredKeys: [] },
);

describe('parseWorkflowYaml (property)', () => {
  it('answers any text with a definition or problems', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000, unit: 'binary' }), (text) => {
        expectWellFormed(parseWorkflowYaml(text));
      }),
      RUNS,
    );
  });

  it('answers YAML made from workflow-shaped values with a definition or problems', () => {
    fc.assert(
      fc.property(workflowLike, (value) => {
        expectWellFormed(parseWorkflowYaml(stringify(value)));
      }),
      RUNS,
    );
  });

  it('answers YAML fragments with anchors, aliases, merges and tags', () => {
    const token = fc.constantFrom(
      'name: x\n',
      'steps:\n',
      '  - id: a\n',
      '    prompt: hi\n',
      '  - &s { id: b, prompt: "{steps.a.output}" }\n',
      '  - *s\n',
      '  - <<: *s\n',
      '    depends_on: [a]\n',
      '!!binary x',
      '? [a]\n',
      'a: *undefined\n',
      '---\n',
      '%YAML 1.2\n',
      '"\\u0000"\n',
      '\t',
      ':',
      '- ',
      '&a ',
      '*a ',
      '{',
      '[',
      '|\n',
      '>\n',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        expectWellFormed(parseWorkflowYaml(tokens.join('')));
      }),
      RUNS,
    );
  });
});

describe('parseWorkflowObject (property)', () => {
  it('answers any value with a definition or problems', () => {
    fc.assert(
      fc.property(fc.oneof(workflowLike, fc.anything({ maxDepth: 4 })), (value) => {
        expectWellFormed(parseWorkflowObject(value));
      }),
      RUNS,
    );
  });

  it('refuses, never throws, when the size limits are tiny', () => {
    fc.assert(
      fc.property(
        workflowLike,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 400 }),
        (value, steps, bytes) => {
          const result = parseWorkflowObject(value, {
            limits: { MAX_WORKFLOW_STEPS: steps, MAX_WORKFLOW_BYTES: bytes },
          });
          expectWellFormed(result);
          if (!result.ok && result.code === 'WORKFLOW_TOO_LARGE') {
            expect(result.problems[0]!.actual!).toBeGreaterThan(result.problems[0]!.limit!);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('renderTemplate (property)', () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const context = fc.record({
    input: fc.dictionary(fc.oneof(ids, fc.string({ maxLength: 5 })), json, { maxKeys: 5 }),
    steps: fc.dictionary(ids, fc.record({ output: json }), { maxKeys: 4 }),
    runId: fc.string({ maxLength: 10 }),
    date: fc.constant('2026-12-02'),
  }) as fc.Arbitrary<TemplateContext>;
  const template = fc.oneof(templateText, fc.string({ maxLength: 300, unit: 'binary' }));

  it('turns any template and context into text', () => {
    fc.assert(
      fc.property(template, context, (t, ctx) => {
        expect(typeof renderTemplate(t, ctx)).toBe('string');
      }),
      RUNS,
    );
  });

  it('with a limit, returns text within it or throws TemplateTooLargeError, nothing else', () => {
    fc.assert(
      fc.property(template, context, fc.integer({ min: 0, max: 200 }), (t, ctx, maxBytes) => {
        try {
          const text = renderTemplate(t, ctx, { maxBytes });
          expect(utf8Bytes(text)).toBeLessThanOrEqual(maxBytes);
          expect(text).toBe(renderTemplate(t, ctx));
        } catch (err) {
          expect(err).toBeInstanceOf(TemplateTooLargeError);
          expect(utf8Bytes(renderTemplate(t, ctx))).toBeGreaterThan(maxBytes);
        }
      }),
      RUNS,
    );
  });
});
