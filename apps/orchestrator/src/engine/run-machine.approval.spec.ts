import type { DecidedApproval } from './approval-step.util';
import { definition, MachineHarness, resultOf } from './testing/machine-harness';

const FLOW = `
name: Spend
steps:
  - id: draft
    prompt: "draft for {input.who}"
  - id: audit
    prompt: "audit"
  - id: approve
    type: approval
    depends_on: [draft]
    message: "Send {steps.draft.output.count} emails to {input.who}?"
    show: steps.draft.output
    timeout: 60
    on_timeout: skip
    allow_edit: true
  - id: send
    depends_on: [approve]
    prompt: "send {steps.approve.output}"
`;

const decided = (status: DecidedApproval['status'], output: unknown = null): DecidedApproval => ({
  stepId: 'approve',
  status,
  decidedBy: 'key:ops',
  decidedAt: new Date('2026-11-26T10:05:00Z'),
  comment: 'looks right',
  output,
});

function toApproval() {
  const h = new MachineHarness(definition(FLOW), { inputData: { who: 'leads' } });
  const started = h.step((m) => m.start());
  const draft = started.find((d) => d.stepId === 'draft')!;
  const audit = started.find((d) => d.stepId === 'audit')!;
  const afterDraft = h.step((m) => m.applyResult(resultOf(draft, 'completed', { count: 3 })));
  return { h, audit, afterDraft };
}

describe('RunMachine: approval steps', () => {
  it('waits without dispatching; the run waits once nothing else is in flight', () => {
    const { h, audit, afterDraft } = toApproval();
    expect(afterDraft).toEqual([]);
    expect(h.row('approve')).toMatchObject({
      status: 'waiting',
      prompt: 'Send 3 emails to leads?',
      deadlineAt: new Date('2026-11-26T10:01:00Z'),
    });
    expect(h.effects.approvalRequests).toEqual([
      {
        stepId: 'approve',
        message: 'Send 3 emails to leads?',
        data: { count: 3 },
        allowEdit: true,
        onTimeout: 'skip',
        expiresAt: new Date('2026-11-26T10:01:00Z'),
      },
    ]);
    expect(h.events().map((e) => e.type)).toContain('approval');
    // The sibling is still running: the run is running, and holds one slot (not the approval's).
    expect(h.run.status).toBe('running');
    expect(h.inFlight().map((r) => r.stepId)).toEqual(['audit']);

    h.step((m) => m.applyResult(resultOf(audit, 'completed', 'ok')));
    expect(h.run.status).toBe('waiting');
    expect(h.events().map((e) => [e.type, e.data['status']])).toContainEqual(['status', 'waiting']);
  });

  it('approve: the edited (or shown) data is the output and the run goes on', () => {
    const { h, audit } = toApproval();
    h.step((m) => m.applyResult(resultOf(audit, 'completed', 'ok')));
    const sent = h.step((m) => m.decideApproval(decided('approved', { count: 2 })));
    expect(h.row('approve')).toMatchObject({ status: 'completed', output: { count: 2 } });
    expect(h.run.status).toBe('running');
    expect(sent.map((d) => [d.stepId, d.prompt])).toEqual([['send', 'send {"count":2}']]);
    h.runToEnd(sent);
    expect(h.run.status).toBe('completed');
  });

  it('skip: the step yields null and the run goes on; reject: the run fails with who and why', () => {
    const skipped = toApproval();
    skipped.h.step((m) => m.decideApproval(decided('skipped')));
    expect(skipped.h.row('approve')).toMatchObject({ status: 'skipped', output: null });

    const rejected = toApproval();
    rejected.h.step((m) => m.decideApproval(decided('rejected')));
    expect(rejected.h.run).toMatchObject({
      status: 'failed',
      error: "Step 'approve' was rejected by key:ops: looks right",
    });
    expect(rejected.h.row('approve')).toMatchObject({ status: 'failed', errorKind: 'APPROVAL_REJECTED' });
    // The sibling still running was aborted with the run.
    expect(rejected.h.outboxOf('stop')).toHaveLength(1);
  });

  it('a decision for a step that no longer waits changes nothing', () => {
    const { h } = toApproval();
    expect(h.step((m) => m.decideApproval(decided('approved', 1))).map((d) => d.stepId)).toEqual(['send']);
    let again: unknown;
    h.step((m) => (again = m.decideApproval(decided('approved', 1))));
    expect(again).toBe('stale');
  });

  it('a sibling crossing the budget while the approval waits stops the run; nothing is paid twice', () => {
    const h = new MachineHarness(definition(FLOW), { inputData: { who: 'leads' }, maxCostUsd: 0.015 });
    const started = h.step((m) => m.start());
    const draft = started.find((d) => d.stepId === 'draft')!;
    const audit = started.find((d) => d.stepId === 'audit')!;
    h.step((m) => m.applyResult(resultOf(draft, 'completed', { count: 3 }, 0.01)));
    expect(h.row('approve').status).toBe('waiting');
    h.step((m) => m.applyResult(resultOf(audit, 'completed', 'ok', 0.01)));
    expect(h.run.status).toBe('budget_exceeded');
    expect(h.run.totalCostUsd).toBeCloseTo(0.02, 10);
    expect(h.row('approve').status).toBe('cancelled');
    expect(h.effects.runEnded?.status).toBe('budget_exceeded');
  });

  it('cancel and budget still stop a waiting run; the approval is cancelled with it', () => {
    const { h, audit } = toApproval();
    h.step((m) => m.applyResult(resultOf(audit, 'completed', 'ok')));
    expect(h.run.status).toBe('waiting');
    h.step((m) => m.cancel('Cancelled by user'));
    expect(h.run.status).toBe('cancelled');
    expect(h.row('approve').status).toBe('cancelled');
    expect(h.effects.runEnded).toEqual({ status: 'cancelled', error: 'Cancelled by user' });
  });
});
