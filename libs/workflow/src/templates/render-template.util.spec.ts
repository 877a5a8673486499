import { renderTemplate, resolvePath, TemplateTooLargeError } from './render-template.util';
import type { TemplateContext } from './template-context';

const ctx: TemplateContext = {
  input: {
    target_url: 'https://example.com',
    company: { name: 'Acme', address: { city: 'Brno' } },
    list: ['first', { k: 1 }, null],
    count: 3,
    flag: false,
    nothing: null,
  },
  steps: {
    'fetch-leads': { output: { items: ['a', 'b'], total: 2 } },
    text: { output: 'plain text' },
    skipped: { output: null },
  },
  runId: '7d4b7e55-2f3c-4f3a-9a51-0c9e7e0a1b2c',
  date: '2026-11-26',
};

describe('resolvePath', () => {
  it.each([
    ['input.target_url', 'https://example.com'],
    ['input.company.address.city', 'Brno'],
    ['input.list.0', 'first'],
    ['input.list.1.k', 1],
    ['input.nothing', null],
    ['input.list.2', null],
    ['steps.fetch-leads.output.items.1', 'b'],
    ['steps.fetch-leads.output', { items: ['a', 'b'], total: 2 }],
    ['steps.skipped.output', null],
    ['run_id', ctx.runId],
    ['date', '2026-11-26'],
    ['input', ctx.input],
  ])('finds %s', (path, value) => {
    expect(resolvePath(path, ctx)).toEqual({ found: true, value });
  });

  it.each([
    ['input.missing'],
    ['input.company.name.first'],
    ['input.list.3'],
    ['input.list.-1'],
    ['input.list.01'],
    ['input.list.length'],
    ['input.constructor'],
    ['input.company.__proto__'],
    ['input..company'],
    ['steps.unknown.output'],
    ['steps.text.output.length'],
    ['run_id.x'],
    ['storage.report.md'],
    ['Input.target_url'],
  ])('does not find %s', (path) => {
    expect(resolvePath(path, ctx)).toEqual({ found: false, value: undefined });
  });
});

describe('renderTemplate', () => {
  it('fills input paths, nested paths and list indexes', () => {
    expect(
      renderTemplate('Visit {input.target_url} ({input.company.address.city}, {input.list.0})', ctx),
    ).toBe('Visit https://example.com (Brno, first)');
  });

  it('fills step outputs, with dashes in step ids', () => {
    expect(renderTemplate('{steps.fetch-leads.output.total}: {steps.fetch-leads.output.items.0}', ctx)).toBe(
      '2: a',
    );
  });

  it('inserts objects and lists as JSON, scalars as text, null as null', () => {
    expect(
      renderTemplate(
        '{steps.fetch-leads.output} {input.list.1} {input.count} {input.flag} {input.nothing}',
        ctx,
      ),
    ).toBe('{"items":["a","b"],"total":2} {"k":1} 3 false null');
    expect(renderTemplate('{steps.skipped.output}', ctx)).toBe('null');
  });

  it('fills run_id and date', () => {
    expect(renderTemplate('leads/{run_id}/{date}.json', ctx)).toBe(`leads/${ctx.runId}/2026-11-26.json`);
  });

  it('leaves unresolvable placeholders unchanged', () => {
    expect(renderTemplate('{input.missing} {steps.later.output} {input.list.9}', ctx)).toBe(
      '{input.missing} {steps.later.output} {input.list.9}',
    );
  });

  it('leaves literal JSON, storage references and other braces alone', () => {
    const text =
      'Answer as {"score": 1, "tier": "A"} or {}. Notes: {storage.notes.md} { input.count } {run_id.x}';
    expect(renderTemplate(text, ctx)).toBe(text);
  });

  it('fills placeholders inside literal JSON', () => {
    expect(renderTemplate('{"url": "{input.target_url}", "n": {input.count}}', ctx)).toBe(
      '{"url": "https://example.com", "n": 3}',
    );
  });

  it('does not render placeholders that come from inserted values', () => {
    const sneaky: TemplateContext = {
      ...ctx,
      input: { note: 'see {run_id} and {input.secret}', secret: 's3cret' },
    };
    expect(renderTemplate('Note: {input.note}', sneaky)).toBe('Note: see {run_id} and {input.secret}');
  });

  it('leaves `{input}` alone: only paths below input are placeholders', () => {
    expect(renderTemplate('{input}', ctx)).toBe('{input}');
  });

  it('returns text without placeholders unchanged', () => {
    expect(renderTemplate('plain prompt', ctx)).toBe('plain prompt');
  });
});

describe('renderTemplate with maxBytes', () => {
  const big: TemplateContext = { ...ctx, steps: { big: { output: { text: 'x'.repeat(10_000) } } } };

  it('renders text within the limit exactly as without one', () => {
    expect(renderTemplate('Visit {input.target_url}', ctx, { maxBytes: 1000 })).toBe(
      'Visit https://example.com',
    );
    expect(renderTemplate('ab', ctx, { maxBytes: 2 })).toBe('ab');
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(() => renderTemplate('ééé', ctx, { maxBytes: 5 })).toThrow(TemplateTooLargeError);
    expect(renderTemplate('ééé', ctx, { maxBytes: 6 })).toBe('ééé');
  });

  it('stops at the first piece past the limit instead of building the whole text', () => {
    const template = Array.from({ length: 100_000 }, () => '{steps.big.output}').join(' ');
    let error: unknown;
    try {
      renderTemplate(template, big, { maxBytes: 64 * 1024 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateTooLargeError);
    expect((error as TemplateTooLargeError).limit).toBe(64 * 1024);
    // Stopped within one piece of the limit: ~64 KB, far below the ~1 GB the text would be.
    expect((error as TemplateTooLargeError).atLeast).toBeLessThan(64 * 1024 + 20_000);
  });

  it('serialises a huge list or object only up to the limit', () => {
    const huge = Array.from({ length: 200_000 }, () => 'y'.repeat(1000)); // ~200 MB as JSON
    const hugeCtx: TemplateContext = { ...ctx, steps: { fan: { output: huge } } };
    expect(() => renderTemplate('all: {steps.fan.output}', hugeCtx, { maxBytes: 10_000 })).toThrow(
      TemplateTooLargeError,
    );
  });
});
