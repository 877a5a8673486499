import { JetStreamHandlers } from './pass-through-rpc.filter';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { InvalidMessageError, type NatsNames } from '@sandcastle/contracts';
import { JetStreamContext } from './jetstream.context';
import type { JetStreamPublisher } from './jetstream-publisher';
import { Outcome, type HandlerOutcome } from './handler-outcome';
import { startJetStreamTestApp, type JetStreamTestApp } from './testing/jetstream-test-app';

/** What the test handler was asked to do with each message, keyed by the payload's `id`. */
const plans = new Map<
  string,
  (deliveryCount: number, ctx: JetStreamContext) => Promise<HandlerOutcome> | HandlerOutcome
>();
const seen: { id: string; deliveryCount: number; at: number }[] = [];

@JetStreamHandlers()
class ProbeHandler {
  @MessagePattern('step.dispatch')
  async handle(@Payload() payload: { id: string }, @Ctx() ctx: JetStreamContext): Promise<HandlerOutcome> {
    seen.push({ id: payload.id, deliveryCount: ctx.deliveryCount, at: Date.now() });
    const plan = plans.get(payload.id);
    if (!plan) throw new InvalidMessageError('probe', ['no plan']);
    return plan(ctx.deliveryCount, ctx);
  }
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('JetStreamServer (real NATS)', () => {
  let t: JetStreamTestApp;
  let names: NatsNames;
  let publisher: JetStreamPublisher;
  let admin: NatsConnection;

  beforeAll(async () => {
    t = await startJetStreamTestApp({
      service: 'msgtest',
      controllers: [ProbeHandler],
      bindings: (n) => [
        { stream: n.streams.steps, durable: 'probe', ackWaitMs: 1000, maxAckPending: 100, concurrency: 4 },
      ],
    });
    ({ names, publisher, admin } = t);
  });

  afterAll(() => t.close());

  const send = (id: string) =>
    publisher.publish({ subject: names.subjects.stepDispatch, msgId: `probe:${id}`, payload: { id } });

  const deliveries = (id: string) => seen.filter((s) => s.id === id).length;

  it('acks a handled message so the work queue is empty afterwards', async () => {
    plans.set('ok', () => Outcome.ack());
    await send('ok');
    await waitFor(() => deliveries('ok') === 1);
    const jsm = await jetstreamManager(admin);
    await waitFor(() => true);
    await new Promise((r) => setTimeout(r, 200));
    expect((await jsm.streams.info(names.streams.steps)).state.messages).toBe(0);
  });

  it('drops a re-publish with the same message id', async () => {
    plans.set('dup', () => Outcome.ack());
    const first = await send('dup');
    const second = await send('dup');
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    await waitFor(() => deliveries('dup') === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(deliveries('dup')).toBe(1);
  });

  it('redelivers after the delay a handler asks for, not before', async () => {
    // 2.5 s is longer than the consumer's ack wait (1 s): a redelivery at the ack wait, or at
    // once, would show that the delay was not passed to the broker.
    plans.set('retry', (n) => (n === 1 ? Outcome.retryAfter(2500, 'not yet') : Outcome.ack()));
    await send('retry');
    await waitFor(() => deliveries('retry') === 2);
    const deliveriesOfRetry = seen.filter((s) => s.id === 'retry');
    expect(deliveriesOfRetry.map((s) => s.deliveryCount)).toEqual([1, 2]);
    const measuredDelayMs = deliveriesOfRetry[1]!.at - deliveriesOfRetry[0]!.at;
    expect(measuredDelayMs).toBeGreaterThanOrEqual(2400);
  });

  it('redelivers a message whose handler threw, and never one that was invalid', async () => {
    plans.set('throws', (n) => {
      if (n === 1) throw new Error('database down');
      return Outcome.ack();
    });
    await send('throws');
    await send('invalid'); // no plan → InvalidMessageError → terminated
    await waitFor(() => deliveries('throws') === 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(deliveries('invalid')).toBe(1);
  });

  it('keeps a long handler alive with working() past the ack wait', async () => {
    plans.set('long', async () => {
      await new Promise((r) => setTimeout(r, 3000));
      return Outcome.ack();
    });
    await send('long');
    await waitFor(() => deliveries('long') === 1);
    await new Promise((r) => setTimeout(r, 3500));
    expect(deliveries('long')).toBe(1);
  });
});
