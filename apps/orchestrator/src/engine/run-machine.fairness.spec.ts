import type { StepDispatch } from '@sandcastle/contracts';
import { TenantSlots } from './tenant-slots';
import { definition, machineSettings, MachineHarness, names, resultOf } from './testing/machine-harness';
import { chainYaml } from './testing/workflows';

const fanOut = (maxConcurrency: number | null, extra = '') => `
name: Fan
steps:
  - id: list
    prompt: list
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output
    prompt: "item {input._item}"
${maxConcurrency === null ? '' : `    max_concurrency: ${maxConcurrency}\n`}${extra}  - id: join
    depends_on: [each]
    prompt: "join {steps.each.output}"
`;

const items = (n: number) => Array.from({ length: n }, (_, i) => `i${i}`);

/** Completes dispatches one at a time (first in, first out), checking `check` after every transition. */
function drain(h: MachineHarness, first: StepDispatch[], check: () => void, costUsd = 0.01): string[] {
  const queue = [...first];
  const ran: string[] = [];
  while (queue.length > 0) {
    const d = queue.shift()!;
    ran.push(d.itemIndex === null ? d.stepId : `${d.stepId}[${d.itemIndex}]`);
    queue.push(
      ...h.step((m) =>
        m.applyResult(resultOf(d, 'completed', d.stepId === 'list' ? items(12) : d.stepId, costUsd)),
      ),
    );
    check();
  }
  return ran;
}

describe('RunMachine: parallel_over max_concurrency', () => {
  it('keeps at most max_concurrency items in flight, dispatching the next ones in order as items finish', () => {
    const h = new MachineHarness(definition(fanOut(3)));
    const [list] = h.step((m) => m.start());
    const first = h.step((m) => m.applyResult(resultOf(list!, 'completed', items(12))));
    expect(first.map((d) => d.itemIndex)).toEqual([0, 1, 2]);
    // Every item has its row from the start: the fan-out's item count never changes.
    expect(h.rows.filter((r) => r.stepId === 'each' && r.itemIndex !== null)).toHaveLength(12);
    expect(h.row('each', 3)).toMatchObject({ status: 'pending', attempt: 0 });

    let most = 0;
    const ran = drain(h, first, () => {
      const inFlight = h.inFlight().filter((r) => r.stepId === 'each').length;
      most = Math.max(most, inFlight);
      expect(inFlight).toBeLessThanOrEqual(3);
    });
    expect(most).toBe(3);
    expect(ran.filter((r) => r.startsWith('each[')).map((r) => Number(r.slice(5, -1)))).toEqual([
      ...Array(12).keys(),
    ]);
    expect(h.run.status).toBe('completed');
    expect(h.run.outputs['each']).toEqual(Array(12).fill('each'));
  });

  it('defaults to 10 and never goes above the operator cap (MAX_FAN_OUT_CONCURRENCY)', () => {
    const h = new MachineHarness(definition(fanOut(null)));
    const [list] = h.step((m) => m.start());
    expect(h.step((m) => m.applyResult(resultOf(list!, 'completed', items(12))))).toHaveLength(10);

    const capped = new MachineHarness(definition(fanOut(50)));
    capped.settings = { ...machineSettings, maxFanOutConcurrency: 4 };
    const [list2] = capped.step((m) => m.start());
    expect(capped.step((m) => m.applyResult(resultOf(list2!, 'completed', items(12))))).toHaveLength(4);
  });

  it('keeps a retrying item in its place: it counts toward max_concurrency until it is final', () => {
    const h = new MachineHarness(
      definition(fanOut(2, '    retry: { max_attempts: 2, backoff: fixed, base_delay_seconds: 5 }\n')),
    );
    const [list] = h.step((m) => m.start());
    const [i0, i1] = h.step((m) => m.applyResult(resultOf(list!, 'completed', items(4))));
    expect(h.step((m) => m.applyResult(resultOf(i0!, 'failed')))).toEqual([]);
    expect(h.row('each', 0)).toMatchObject({ status: 'pending', attempt: 1 });
    // Item 1 finishes: one slot frees, item 2 goes; item 0 still waits for its backoff.
    expect(h.step((m) => m.applyResult(resultOf(i1!, 'completed', 'x'))).map((d) => d.itemIndex)).toEqual([
      2,
    ]);
  });

  it('stops a fan-out at the budget with at most max_concurrency items dispatched, cancelling the rest', () => {
    // $0.01 for the list, $0.02 per item, a $0.06 budget: the third item result crosses it.
    const h = new MachineHarness(definition(fanOut(3)), { maxCostUsd: 0.06 });
    const [list] = h.step((m) => m.start());
    const dispatched = h.step((m) => m.applyResult(resultOf(list!, 'completed', items(20))));
    const all = [...dispatched];
    for (let i = 0; i < 3 && h.run.status === 'running'; i++) {
      all.push(...h.step((m) => m.applyResult(resultOf(dispatched[i]!, 'completed', 'x', 0.02))));
    }
    expect(h.run.status).toBe('budget_exceeded');
    expect(all.length).toBeLessThanOrEqual(3 + 2);
    const itemRows = h.rows.filter((r) => r.stepId === 'each' && r.itemIndex !== null);
    expect(itemRows.filter((r) => r.status === 'cancelled').length).toBeGreaterThanOrEqual(15);
    expect(itemRows.filter((r) => r.attempt > 0).length).toBeLessThanOrEqual(5);
  });
});

describe('RunMachine: aborts of a stop go to the outbox', () => {
  it('writes a stop message (cancel signal + stopped mark) when a stop leaves attempts in flight', () => {
    const h = new MachineHarness(definition(fanOut(3)));
    const [list] = h.step((m) => m.start());
    h.step((m) => m.applyResult(resultOf(list!, 'completed', items(5))));
    h.step((m) => m.cancel('enough'));
    expect(h.outboxOf('stop')).toEqual([
      {
        subject: names.cancelControl(h.run.id),
        msgId: `stop:${h.run.id}`,
        payload: { runId: h.run.id, reason: 'enough' },
        kind: 'stop',
      },
    ]);
  });

  it('writes none when nothing was in flight', () => {
    const h = new MachineHarness(definition(fanOut(3)));
    h.step((m) => m.cancel('before start'));
    expect(h.outboxOf('stop')).toEqual([]);
  });
});

describe('RunMachine: late result of an attempt declared lost', () => {
  it('adds its cost and tokens to the step row and the run, and changes no state', () => {
    const h = new MachineHarness(definition(fanOut(3)));
    const [list] = h.step((m) => m.start());
    const lost = h.step((m) =>
      m.applyResult({
        ...resultOf(list!, 'failed'),
        costUsd: 0,
        errorKind: 'lost',
        usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
      }),
    );
    expect(h.run.status).toBe('failed');
    expect(lost).toEqual([]);
    const before = { ...h.row('list') };
    const late = { ...resultOf(list!, 'completed', ['a']), costUsd: 0.25 };
    expect(h.step((m) => m.applyLateResult(late))).toEqual([]);
    expect(h.run.status).toBe('failed');
    expect(h.run.totalCostUsd).toBeCloseTo(0.25, 9);
    expect(h.run.totalInputTokens).toBe(10);
    expect(h.row('list')).toMatchObject({
      status: before.status,
      output: before.output,
      costUsd: 0.25,
      inputTokens: 10,
    });
    expect(h.effects.messages).toEqual([]);
  });
});

describe('RunMachine: tenant cap on attempts in flight', () => {
  it('lets attempts past the cap wait (pending, not failed) and dispatches them, oldest first, as slots free', () => {
    const h = new MachineHarness(definition(fanOut(10)));
    // The tenant has 3 attempts running in other runs, cap 5: this run gets 2 slots.
    let others = 3;
    h.slots = () => new TenantSlots('default', 5, others + h.inFlight().length, null);
    const [list] = h.step((m) => m.start());
    const first = h.step((m) => m.applyResult(resultOf(list!, 'completed', items(6))));
    expect(first.map((d) => d.itemIndex)).toEqual([0, 1]);
    expect(h.effects.metrics.capacityWaits).toBe(4);
    const waiting = h.rows.filter((r) => r.waitingSince !== null);
    expect(waiting.map((r) => [r.itemIndex, r.status, r.attempt])).toEqual([
      [2, 'pending', 1],
      [3, 'pending', 1],
      [4, 'pending', 1],
      [5, 'pending', 1],
    ]);
    expect(h.row('each', 2).prompt).toBe('item i2');
    expect(h.events().filter((e) => e.data['waiting_for_capacity'] === true)).toHaveLength(4);

    // One of this run's items finishes: its slot goes to the oldest waiting item.
    h.clock = new Date(h.clock.getTime() + 1000);
    expect(
      h.step((m) => m.applyResult(resultOf(first[0]!, 'completed', 'x'))).map((d) => d.itemIndex),
    ).toEqual([2]);
    expect(h.row('each', 2)).toMatchObject({ status: 'queued', waitingSince: null });

    // Another run of the tenant finishes two attempts: the sweep's transition dispatches two more.
    others = 1;
    const swept = h.step((m) => m.dispatchWaiting());
    expect(swept.map((d) => d.itemIndex)).toEqual([3, 4]);
    expect(h.inFlight()).toHaveLength(4);
    expect(h.step((m) => m.dispatchWaiting())).toEqual([]);
  });

  it('lets an older waiter of another run of the tenant go first', () => {
    const h = new MachineHarness(definition(fanOut(10)));
    const older = new Date(h.clock.getTime() - 60_000);
    h.slots = () => new TenantSlots('default', 5, h.inFlight().length, older);
    const sent = h.step((m) => m.start());
    expect(sent).toEqual([]);
    expect(h.row('list')).toMatchObject({ status: 'pending', attempt: 1, waitingSince: h.clock });
    // The other run's waiter was served: this one goes now.
    h.slots = () => new TenantSlots('default', 5, h.inFlight().length, null);
    expect(h.step((m) => m.dispatchWaiting()).map((d) => d.stepId)).toEqual(['list']);
  });

  it('lets a run start its next step in the slot its last attempt freed, ahead of older waiters', () => {
    const h = new MachineHarness(definition(chainYaml(3)));
    // The tenant is at its cap (2) and another run has waited for a minute.
    const older = new Date(h.clock.getTime() - 60_000);
    h.slots = () => new TenantSlots('default', 2, h.inFlight().length + 1, older);
    const [a] = h.step((m) => m.start());
    expect(a).toBeUndefined(); // a new run's first step waits its turn
    h.slots = () => new TenantSlots('default', 2, h.inFlight().length + 1, null);
    const [first] = h.step((m) => m.dispatchWaiting());
    expect(first?.stepId).toBe('s1');

    h.slots = () => new TenantSlots('default', 2, h.inFlight().length + 1, older);
    const [second] = h.step((m) => m.applyResult(resultOf(first!, 'completed', 'x')));
    expect(second?.stepId).toBe('s2');
    expect(h.row('s2').waitingSince).toBeNull();
    expect(h.effects.metrics.capacityWaits).toBe(0);
  });

  it('keeps only one lane per run: a second attempt ready at once yields to older waiters', () => {
    const h = new MachineHarness(
      definition(`
name: Diamond
steps:
  - id: a
    prompt: a
  - id: b
    depends_on: [a]
    prompt: b
  - id: c
    depends_on: [a]
    prompt: c
`),
    );
    h.slots = () => new TenantSlots('default', 5, h.inFlight().length, null);
    const [a] = h.step((m) => m.start());
    const older = new Date(h.clock.getTime() - 60_000);
    h.slots = () => new TenantSlots('default', 5, h.inFlight().length + 1, older);
    const sent = h.step((m) => m.applyResult(resultOf(a!, 'completed', 'x')));
    expect(sent.map((d) => d.stepId)).toEqual(['b']);
    expect(h.row('c')).toMatchObject({ status: 'pending', waitingSince: h.clock });
  });

  it('gives no lane while the run still has an attempt in flight (a fan-out item finishing)', () => {
    const h = new MachineHarness(definition(fanOut(2)));
    h.slots = () => new TenantSlots('default', 5, h.inFlight().length, null);
    const [list] = h.step((m) => m.start());
    const [i0, i1] = h.step((m) => m.applyResult(resultOf(list!, 'completed', items(3))));
    expect([i0?.itemIndex, i1?.itemIndex]).toEqual([0, 1]);
    const older = new Date(h.clock.getTime() - 60_000);
    h.slots = () => new TenantSlots('default', 5, h.inFlight().length + 1, older);
    expect(h.step((m) => m.applyResult(resultOf(i0!, 'completed', 'x')))).toEqual([]);
    expect(h.row('each', 2)).toMatchObject({ status: 'pending', waitingSince: h.clock });
  });

  it('cancels waiting attempts when the run stops, without an abort for them', () => {
    const h = new MachineHarness(definition(fanOut(10)));
    h.slots = () => new TenantSlots('default', 0 + 1, h.inFlight().length + 1, null);
    h.step((m) => m.start());
    expect(h.row('list').waitingSince).not.toBeNull();
    h.step((m) => m.cancel('stop'));
    expect(h.row('list')).toMatchObject({ status: 'cancelled', waitingSince: null });
    expect(h.outboxOf('stop')).toEqual([]);
  });
});
