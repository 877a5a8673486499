import type { StepDispatch } from '@sandcastle/contracts';
import { RunMachine } from './run-machine';
import {
  definition,
  machineSettings,
  MachineHarness,
  names,
  newRunRow,
  resultOf,
} from './testing/machine-harness';

const TWO = `
name: Two
steps:
  - id: a
    prompt: "a"
  - id: b
    prompt: "b"
  - id: c
    depends_on: [a, b]
    prompt: "c"
`;

const REQUESTED = new Date('2026-11-26T09:59:00Z');

describe('RunMachine.open: a cancel request recorded on the run', () => {
  it('cancels a queued run before its start: the start changes nothing and nothing is dispatched', () => {
    const run = newRunRow(definition(TWO), { cancelRequestedAt: REQUESTED, cancelReason: 'changed my mind' });
    const m = RunMachine.open(run, [], machineSettings, new Date('2026-11-26T10:00:00Z'));
    expect(m.start()).toBe(false);
    const effects = m.effects();
    expect(effects.runEnded).toEqual({ status: 'cancelled', error: 'changed my mind' });
    expect(effects.runChanged).toBe(true);
    expect(effects.messages.map((o) => [o.kind, (o.payload as { type?: string }).type])).toEqual([
      ['stream', 'status'],
      ['stream', 'result'],
    ]);
    expect(m.run).toMatchObject({ status: 'cancelled', error: 'changed my mind' });
  });

  it('stops a running run before the result it was opened for, which then only adds its cost', () => {
    const h = new MachineHarness(definition(TWO));
    const [a] = h.step((m) => m.start()) as [StepDispatch, StepDispatch];
    h.run.cancelRequestedAt = REQUESTED;
    let outcome: unknown;
    const sent = h.step((m) => (outcome = m.applyResult(resultOf(a, 'completed', 'A', 0.25))));
    expect(outcome).toBe('stale');
    expect(sent).toEqual([]);
    expect(h.run).toMatchObject({ status: 'cancelled', error: 'Cancelled by user' });
    expect(h.run.totalCostUsd).toBeCloseTo(0.25, 9);
    expect(h.effects.runEnded).toEqual({ status: 'cancelled', error: 'Cancelled by user' });
    // Both attempts were in flight when the machine opened: one abort for the run, in the outbox.
    expect(h.outboxOf('stop')).toEqual([
      {
        subject: names.cancelControl(h.run.id),
        msgId: `stop:${h.run.id}`,
        payload: { runId: h.run.id, reason: 'Cancelled by user' },
        kind: 'stop',
      },
    ]);
    expect(h.rows.map((r) => [r.stepId, r.status])).toEqual([
      ['a', 'cancelled'],
      ['b', 'cancelled'],
      ['c', 'cancelled'],
    ]);
    expect(h.effects.stepChanges.map((r) => r.stepId).sort()).toEqual(['a', 'b', 'c']);
  });

  it('leaves an ended run alone: opening it has no effects at all', () => {
    const h = new MachineHarness(definition(TWO));
    h.runToEnd(h.step((m) => m.start()));
    expect(h.run.status).toBe('completed');
    h.run.cancelRequestedAt = REQUESTED;
    h.step(() => undefined);
    expect(h.run.status).toBe('completed');
    expect(h.effects).toEqual({
      messages: [],
      stepChanges: [],
      runChanged: false,
      runEnded: null,
      deadLetters: [],
      approvalRequests: [],
      completionWrite: null,
      metrics: {
        finishedSteps: [],
        retries: 0,
        capacityWaits: 0,
        budgetWarning: false,
        stoppedForBudget: false,
      },
    });
  });
});

describe('RunMachine.effects', () => {
  it('is a value: what the machine does after it was taken is not added to it', () => {
    const m = RunMachine.open(
      newRunRow(definition(TWO)),
      [],
      machineSettings,
      new Date('2026-11-26T10:00:00Z'),
    );
    m.start();
    const started = m.effects();
    expect(started.messages.filter((o) => o.subject === names.subjects.stepDispatch)).toHaveLength(2);
    const before = started.messages.length;
    m.cancel('enough');
    expect(started.messages).toHaveLength(before);
    expect(started.runEnded).toBeNull();
    const after = m.effects();
    expect(after.runEnded).toEqual({ status: 'cancelled', error: 'enough' });
    expect(after.messages.length).toBeGreaterThan(before);
  });

  it('counts what the engine reports: finished steps, retries, and the budget warning', () => {
    const h = new MachineHarness(
      definition(`
name: Counted
steps:
  - id: a
    prompt: "a"
    retry: { max_attempts: 2, backoff: fixed, base_delay_seconds: 0 }
`),
      { maxCostUsd: 1 },
    );
    const [first] = h.step((m) => m.start());
    const [second] = h.step((m) => m.applyResult(resultOf(first!, 'failed', null, 0.5)));
    expect(h.effects.metrics).toEqual({
      finishedSteps: [],
      retries: 1,
      capacityWaits: 0,
      budgetWarning: false,
      stoppedForBudget: false,
    });
    h.step((m) => m.applyResult(resultOf(second!, 'completed', 'ok', 0.35)));
    expect(h.effects.metrics).toEqual({
      finishedSteps: ['completed'],
      retries: 0,
      capacityWaits: 0,
      budgetWarning: true,
      stoppedForBudget: false,
    });
    expect(h.effects.runEnded).toEqual({ status: 'completed', error: null });
  });

  it('a completion write failing without a completion changes nothing', () => {
    const h = new MachineHarness(definition(TWO));
    h.step((m) => {
      m.start();
      m.completionWriteFailed('no storage');
    });
    expect(h.run.status).toBe('running');
    expect(h.effects.runEnded).toBeNull();
  });
});
