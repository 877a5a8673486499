import type { RunEvent } from '@sandcastle/contracts';
import { hasDeliveryTargets } from './machine/events';
import type { EngineMessage as OutboxMessage, RunRow } from './run-state';
import { definition, MachineHarness, names, newRunRow, resultOf } from './testing/machine-harness';

const ONE = `
name: One
steps:
  - id: a
    prompt: "a"
`;

const withHooks = (hooks: string) => `${ONE}${hooks}`;

/** Runs the one-step workflow to its end; returns every message of the last transition. */
function finish(run: Partial<RunRow>, yaml = ONE): { h: MachineHarness; messages: OutboxMessage[] } {
  const h = new MachineHarness(definition(yaml), run);
  const [a] = h.step((m) => m.start());
  h.step((m) => m.applyResult(resultOf(a!, 'completed', 'done')));
  return { h, messages: [...h.effects.messages] };
}

const notificationsOf = (messages: OutboxMessage[]) =>
  messages.filter((o) => o.subject.startsWith(`${names.namespace}.notify.`));

describe('RunMachine: who hears of a run (SC_NOTIFICATIONS)', () => {
  it('sends nothing to the notifier for a run nobody is to hear of: its result is only an event', () => {
    const { h, messages } = finish({});
    expect(messages.map((o) => o.subject)).toContain(names.runEvent(h.run.id, 'result'));
    expect(notificationsOf(messages)).toEqual([]);
  });

  it.each([
    ['a callback_url', ONE, { callbackUrl: 'https://hooks.example.com/run' }],
    ['a schedule', ONE, { scheduleId: '22222222-2222-4222-8222-222222222222' }],
    ['an on_complete webhook', withHooks('on_complete:\n  webhook: https://hooks.example.com/done\n'), {}],
    ['an on_failure webhook', withHooks('on_failure:\n  webhook: https://hooks.example.com/fail\n'), {}],
    ['a Slack notification', withHooks('notify:\n  slack: https://hooks.slack.com/services/T/B/X\n'), {}],
  ])('sends the result to the notifier as well for a run with %s', (_what, yaml, run) => {
    const { h, messages } = finish(run, yaml);
    const event = messages.find((o) => o.subject === names.runEvent(h.run.id, 'result'))!;
    expect(notificationsOf(messages)).toEqual([
      {
        subject: names.notification(h.run.id, 'result'),
        // The same event under an id of its own, derived from the event's: a redelivered outbox
        // row is deduplicated by the stream, and the notifier's plan is idempotent anyway.
        msgId: event.msgId.replace(/^evt:/, 'notify:'),
        payload: event.payload,
        kind: 'stream',
      },
    ]);
    expect((event.payload as RunEvent).data['status']).toBe('completed');
  });

  it('announces an approval request to the notifier, never step progress', () => {
    const yaml = `
name: Gate
notify:
  slack: https://hooks.slack.com/services/T/B/X
steps:
  - id: draft
    prompt: "draft"
  - id: approve
    type: approval
    depends_on: [draft]
    message: "ok?"
`;
    const h = new MachineHarness(definition(yaml));
    const [draft] = h.step((m) => m.start());
    expect(notificationsOf([...h.effects.messages])).toEqual([]);
    h.step((m) => m.applyResult(resultOf(draft!, 'completed', 'text')));
    expect(notificationsOf([...h.effects.messages]).map((o) => o.subject)).toEqual([
      names.notification(h.run.id, 'approval'),
    ]);
  });

  it('hasDeliveryTargets: a webhook whose ${VAR} may resolve empty still counts (the notifier decides)', () => {
    const def = definition(withHooks('on_complete:\n  webhook: "${DONE_HOOK}"\n'));
    expect(hasDeliveryTargets(newRunRow(def))).toBe(true);
    expect(hasDeliveryTargets(newRunRow(definition(ONE)))).toBe(false);
  });
});
