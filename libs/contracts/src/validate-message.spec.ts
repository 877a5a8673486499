import { InvalidMessageError, validateMessage } from './validate-message';
import { RunStartCommand, StepResult } from './messages';
import { messageIds, natsNames } from './subjects';

describe('validateMessage', () => {
  const runId = '6f1c1f5e-8a3b-4c1e-9a59-0d1f2f6f0a11';

  it('returns a typed instance for a valid payload', () => {
    const msg = validateMessage(RunStartCommand, { v: 1, tenantId: 'default', runId });
    expect(msg).toBeInstanceOf(RunStartCommand);
    expect(msg.runId).toBe(runId);
  });

  it('lists every problem of an invalid payload', () => {
    expect.assertions(3);
    try {
      validateMessage(StepResult, { v: 2, tenantId: '', runId: 'nope' });
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidMessageError);
      const problems = (e as InvalidMessageError).problems.join('\n');
      expect(problems).toMatch(/runId must be a UUID/);
      expect(problems).toMatch(/outcome must be one of/);
    }
  });

  it('refuses payloads that are not objects', () => {
    expect(() => validateMessage(RunStartCommand, [1, 2])).toThrow(/not a JSON object/);
  });
});

describe('natsNames', () => {
  it('derives streams and subjects from the namespace', () => {
    const names = natsNames('t42');
    expect(names.streams.steps).toBe('T42_STEPS');
    expect(names.runEvent('abc', 'step')).toBe('t42.evt.run.abc.step');
    expect(names.runEvents('abc')).toBe('t42.evt.run.abc.>');
    expect(names.runEventsOfType('result')).toBe('t42.evt.run.*.result');
    expect(names.subjects.runEventsAll).toBe('t42.evt.run.>');
    expect(() => natsNames('Bad-Name')).toThrow(/namespace/);
  });

  it('builds deterministic message ids', () => {
    expect(messageIds.stepDispatch('r', 's', null, 2)).toBe('dispatch:r:s:-:2');
    expect(messageIds.stepResult('r', 's', 3, 1)).toBe('result:r:s:3:1');
  });
});
