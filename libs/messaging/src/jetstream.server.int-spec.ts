import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { JetStreamHandlers } from './pass-through-rpc.filter';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { InvalidMessageError, natsNames } from '@sandcastle/contracts';
import { createLogger, createMetricsRegistry, ObservabilityModule } from '@sandcastle/observability';
import { randomBytes } from 'node:crypto';
import { JetStreamContext } from './jetstream.context';
import { JetStreamPublisher } from './jetstream-publisher';
import { Outcome, type HandlerOutcome } from './handler-outcome';
import { MessagingModule, startJetStreamConsumers, stripNamespace } from './messaging.module';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** What the test handler was asked to do with each message, keyed by the payload's `id`. */
const plans = new Map<
  string,
  (deliveryCount: number, ctx: JetStreamContext) => Promise<HandlerOutcome> | HandlerOutcome
>();
const seen: { id: string; deliveryCount: number }[] = [];

@JetStreamHandlers()
class ProbeHandler {
  @MessagePattern('step.dispatch')
  async handle(@Payload() payload: { id: string }, @Ctx() ctx: JetStreamContext): Promise<HandlerOutcome> {
    seen.push({ id: payload.id, deliveryCount: ctx.deliveryCount });
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
  const names = natsNames(`mt${randomBytes(4).toString('hex')}`);
  let app: INestApplication;
  let publisher: JetStreamPublisher;
  let admin: NatsConnection;

  beforeAll(async () => {
    const logger = createLogger('msgtest', 'error');
    const module = {
      module: class ProbeModule {},
      imports: [
        ObservabilityModule.forRoot({
          service: 'msgtest',
          logger,
          registry: createMetricsRegistry('msgtest'),
        }),
        MessagingModule.forRoot({ service: 'msgtest', url: NATS_URL, namespace: names.namespace }),
      ],
      controllers: [ProbeHandler],
    };
    app = await NestFactory.create(module, { logger: false });
    await app.init();
    await startJetStreamConsumers(
      app,
      [
        {
          stream: names.streams.steps,
          durable: 'probe',
          ackWaitMs: 1000,
          maxAckPending: 100,
          concurrency: 4,
          patternOf: stripNamespace(names),
        },
      ],
      300,
    );
    publisher = app.get(JetStreamPublisher);
    admin = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await app.close();
    const jsm = await jetstreamManager(admin);
    for (const stream of Object.values(names.streams))
      await jsm.streams.delete(stream).catch(() => undefined);
    await admin.close();
  });

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

  it('redelivers after the delay a handler asks for', async () => {
    plans.set('retry', (n) => (n === 1 ? Outcome.retryAfter(200, 'not yet') : Outcome.ack()));
    await send('retry');
    await waitFor(() => deliveries('retry') === 2);
    expect(seen.filter((s) => s.id === 'retry').map((s) => s.deliveryCount)).toEqual([1, 2]);
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
