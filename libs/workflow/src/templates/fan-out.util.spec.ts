import { fanOutItems, withFanOutItem } from './fan-out.util';
import { renderTemplate } from './render-template.util';
import type { TemplateContext } from './template-context';

const ctx: TemplateContext = {
  input: { companies: ['acme', 'globex'], single: 'only-one', empty: [], nested: { list: [{ name: 'x' }] } },
  steps: { 'fetch-competitors': { output: { competitors: ['a', { k: 1 }] } }, failed: { output: null } },
  runId: 'run-1',
  date: '2026-11-26',
};

describe('fanOutItems', () => {
  it('returns the list at the path', () => {
    expect(fanOutItems('input.companies', ctx)).toEqual(['acme', 'globex']);
    expect(fanOutItems('steps.fetch-competitors.output.competitors', ctx)).toEqual(['a', { k: 1 }]);
    expect(fanOutItems('input.nested.list', ctx)).toEqual([{ name: 'x' }]);
  });

  it('returns an empty list as empty (the step then has nothing to run)', () => {
    expect(fanOutItems('input.empty', ctx)).toEqual([]);
  });

  it('wraps a value that is not a list into a one-element list', () => {
    expect(fanOutItems('input.single', ctx)).toEqual(['only-one']);
    expect(fanOutItems('steps.fetch-competitors.output', ctx)).toEqual([{ competitors: ['a', { k: 1 }] }]);
  });

  it('gives one null element for a missing or null value, as the original did', () => {
    expect(fanOutItems('input.nope', ctx)).toEqual([null]);
    expect(fanOutItems('steps.failed.output.competitors', ctx)).toEqual([null]);
    expect(fanOutItems('steps.failed.output', ctx)).toEqual([null]);
  });

  it('returns the list itself (read-only), not a copy per call', () => {
    expect(fanOutItems('input.companies', ctx)).toBe(ctx.input.companies);
  });
});

describe('withFanOutItem', () => {
  it('adds _item and _index to the input without touching the original context', () => {
    const itemCtx = withFanOutItem(ctx, { name: 'Acme', size: 10 }, 1);
    expect(itemCtx.input._item).toEqual({ name: 'Acme', size: 10 });
    expect(itemCtx.input._index).toBe(1);
    expect(itemCtx.input.companies).toEqual(['acme', 'globex']);
    expect(ctx.input).not.toHaveProperty('_item');
    expect(itemCtx.steps).toBe(ctx.steps);
  });

  it('feeds {input._item}, {input._item.field} and {input._index} in prompts', () => {
    expect(renderTemplate('#{input._index}: {input._item}', withFanOutItem(ctx, 'globex', 0))).toBe(
      '#0: globex',
    );
    expect(
      renderTemplate('{input._item.name} ({input._item})', withFanOutItem(ctx, { name: 'Acme' }, 2)),
    ).toBe('Acme ({"name":"Acme"})');
    expect(renderTemplate('{input._item}', withFanOutItem(ctx, null, 0))).toBe('null');
  });
});
