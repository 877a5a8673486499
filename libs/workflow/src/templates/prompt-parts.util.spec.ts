import { OUTPUT_REF_KEY, type OutputRef } from '@sandcastle/contracts';
import { renderPromptParts, walkJsonPath } from './prompt-parts.util';
import { renderTemplate, TemplateTooLargeError } from './render-template.util';
import type { TemplateContext } from './template-context';

const ref: OutputRef = {
  name: 'output.big.a1.json',
  key: 'tenants/t/runs/r/output.big.a1.json',
  size: 9,
  content_type: 'application/json',
  preview: '{"a"',
};
const offloaded = { [OUTPUT_REF_KEY]: ref };
const ctx: TemplateContext = {
  input: { k: 'acme' },
  steps: { small: { output: { n: 1 } }, big: { output: offloaded }, fan: { output: [1, offloaded, null] } },
  runId: 'r1',
  date: '2026-12-06',
};

describe('renderPromptParts', () => {
  it('is renderTemplate when nothing needs storage', () => {
    const template = 'Hi {input.k} {steps.small.output} {"literal": true} {input.missing}';
    expect(renderPromptParts(template, ctx)).toEqual({
      display: renderTemplate(template, ctx),
      pieces: null,
    });
  });

  it('defers {storage.PATH} (path rendered), an offloaded output (whole or a part), and a list holding one', () => {
    const rendered = renderPromptParts(
      'A {storage.m/{input.k}.md} B {steps.big.output.a.0} C {steps.fan.output} D {steps.big.output}',
      ctx,
    );
    expect(rendered.display).toBe(
      'A {storage.m/{input.k}.md} B {steps.big.output.a.0} C {steps.fan.output} D {steps.big.output}',
    );
    expect(rendered.pieces).toEqual([
      { kind: 'text', text: 'A ' },
      { kind: 'storage', path: 'm/acme.md', placeholder: '{storage.m/{input.k}.md}' },
      { kind: 'text', text: ' B ' },
      { kind: 'output', ref, path: ['a', '0'], placeholder: '{steps.big.output.a.0}' },
      { kind: 'text', text: ' C ' },
      { kind: 'value', value: [1, offloaded, null], placeholder: '{steps.fan.output}' },
      { kind: 'text', text: ' D ' },
      { kind: 'output', ref, path: [], placeholder: '{steps.big.output}' },
    ]);
  });

  it('bounds the inline part like renderTemplate', () => {
    const big: TemplateContext = { ...ctx, input: { text: 'x'.repeat(2000) } };
    expect(() => renderPromptParts('{storage.a} {input.text}', big, { maxBytes: 1000 })).toThrow(
      TemplateTooLargeError,
    );
  });

  it('refuses a {storage.PATH} that a value makes unsafe', () => {
    expect(() => renderPromptParts('{storage.{input.k}/../../x}', ctx)).toThrow("must not contain '..'");
  });
});

describe('walkJsonPath', () => {
  it('walks keys and indexes like templates do', () => {
    expect(walkJsonPath({ a: [{ b: 2 }] }, ['a', '0', 'b'])).toEqual({ found: true, value: 2 });
    expect(walkJsonPath({ a: 1 }, ['constructor'])).toEqual({ found: false, value: undefined });
  });
});
