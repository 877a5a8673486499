import { parseWorkflowObject } from './workflow.parser';

function parse(steps: Record<string, unknown>[]) {
  return parseWorkflowObject({ name: 'Approvals', steps });
}

describe('type: approval steps', () => {
  it('reads message, show, timeout, on_timeout and allow_edit', () => {
    const result = parse([
      { id: 'draft', prompt: 'Draft the emails' },
      {
        id: 'ok',
        type: 'approval',
        depends_on: ['draft'],
        message: 'Send {steps.draft.output.count} emails?',
        show: 'steps.draft.output',
        timeout: 3600,
        on_timeout: 'skip',
        allow_edit: true,
      },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.definition.steps[1]).toMatchObject({
      id: 'ok',
      prompt: 'Send {steps.draft.output.count} emails?',
      runtime: null,
      approval: { show: 'steps.draft.output', timeoutSeconds: 3600, onTimeout: 'skip', allowEdit: true },
    });
  });

  it('defaults: no timeout, reject on timeout, no edits, the dependencies shown', () => {
    const result = parse([{ id: 'ok', type: 'approval', message: 'Go?' }]);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.definition.steps[0]!.approval).toEqual({
      show: null,
      timeoutSeconds: null,
      onTimeout: 'reject',
      allowEdit: false,
    });
  });

  it('reports agent keys on an approval step, approval keys on an agent step, and bad show paths', () => {
    const result = parse([
      { id: 'a', prompt: 'x', message: 'hello' },
      { id: 'b', type: 'approval', message: 'Go?', prompt: 'x', model: 'opus', show: 'steps.a.output' },
      {
        id: 'c',
        type: 'approval',
        depends_on: ['a'],
        message: 'Go {steps.zz.output}?',
        show: '{steps.a.output}',
      },
      { id: 'd', type: 'approval', on_timeout: 'maybe' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      "steps[0].message: step 'a': message only applies to a step with type: approval",
      "steps[1].prompt: step 'b': prompt does not apply to an approval step",
      "steps[1].model: step 'b': model does not apply to an approval step",
      "steps[1].show: step 'b': show 'steps.a.output' must read steps.<a step in depends_on>.output",
      "steps[2].show: step 'c': show '{steps.a.output}' must be a path without braces, e.g. steps.draft.output or input.order",
      "steps[3].on_timeout: step 'd': on_timeout must be one of 'reject', 'approve', 'skip', got 'maybe'",
      "steps[3].message: step 'd': message is required",
      expect.stringContaining("steps[2].message: step 'c'"),
    ]);
  });
});
