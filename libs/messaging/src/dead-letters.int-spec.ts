import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsNames, type NatsNames } from '@sandcastle/contracts';
import {
  createLogger,
  createMetricsRegistry,
  METRICS_REGISTRY,
  ObservabilityModule,
} from '@sandcastle/observability';
import type { Registry } from 'prom-client';
import { randomBytes } from 'node:crypto';
import { JetStreamContext } from './jetstream.context';
import { JetStreamPublisher } from './jetstream-publisher';
import { startJetStreamTestApp, type JetStreamTestApp } from './testing/jetstream-test-app';
import { Outcome, type HandlerOutcome } from './handler-outcome';
import { MessagingModule, startJetStreamConsumers, stripNamespace } from './messaging.module';
import { JetStreamHandlers } from './pass-through-rpc.filter';
import { readDeadLetters } from './dead-letters';
import { ensureConsumer } from './topology';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const MAX_DELIVERIES = 3;

const calls = new Map<string, number>();

@JetStreamHandlers()
class FlakyHandler {
  @MessagePattern('cmd.run.start')
  handle(@Payload() payload: { id: string; failures: number }, @Ctx() ctx: JetStreamContext): HandlerOutcome {
    calls.set(payload.id, (calls.get(payload.id) ?? 0) + 1);
    if (ctx.deliveryCount <= payload.failures) throw new Error(`poison ${payload.id} (secret-free)`);
    return Outcome.ack();
  }
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('bounded deliveries and dead letters (real NATS)', () => {
  let t: JetStreamTestApp;
  let names: NatsNames;
  let publisher: JetStreamPublisher;
  let admin: NatsConnection;
  let registry: Registry;

  beforeAll(async () => {
    t = await startJetStreamTestApp({
      service: 'dltest',
      controllers: [FlakyHandler],
      maxDeliveries: MAX_DELIVERIES,
      bindings: (n) => [
        { stream: n.streams.commands, durable: 'flaky', ackWaitMs: 5000, maxAckPending: 100, concurrency: 4 },
      ],
    });
    ({ names, publisher, admin } = t);
    registry = t.app.get<Registry>(METRICS_REGISTRY);
  });

  afterAll(() => t.close());

  const send = (id: string, failures: number) =>
    publisher.publish({
      subject: names.subjects.runStart,
      msgId: `dl:${id}`,
      payload: { id, failures, pad: 'x'.repeat(100_000) },
    });

  const deadLettered = async (): Promise<number> => {
    const metric = (await registry.getSingleMetric('sandcastle_dltest_messages_dead_lettered_total')?.get())
      ?.values;
    return metric?.find((v) => v.labels.subject === 'cmd.run.start')?.value ?? 0;
  };

  it('dead-letters a message whose handler always throws after MESSAGE_MAX_DELIVERIES, and terminates it', async () => {
    const ack = await send('always', 1_000);
    const jsm = await jetstreamManager(admin);
    await waitFor(async () => (await readDeadLetters(jsm, names, { limit: 10 })).items.length === 1);

    const page = await readDeadLetters(jsm, names, { limit: 10 });
    const letter = page.items[0]!;
    expect(letter).toMatchObject({
      service: 'dltest',
      consumer: 'flaky',
      stream: names.streams.commands,
      streamSequence: ack.seq,
      subject: names.subjects.runStart,
      msgId: 'dl:always',
      deliveryCount: MAX_DELIVERIES,
      payloadTruncated: true,
    });
    expect(letter.lastError).toContain('poison always');
    expect(letter.payloadBytes).toBeGreaterThan(100_000);
    expect(Buffer.byteLength(letter.payload)).toBeLessThanOrEqual(64 * 1024 + 3);
    expect(page.total).toBe(1);
    expect(page.nextBefore).toBeNull();
    expect(await deadLettered()).toBe(1);

    // Terminated: removed from the work queue and never handled again.
    await waitFor(async () => (await jsm.streams.info(names.streams.commands)).state.messages === 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls.get('always')).toBe(MAX_DELIVERIES);
  });

  it('does not dead-letter a message that fails fewer times than the bound', async () => {
    await send('flaky', MAX_DELIVERIES - 1);
    await waitFor(() => calls.get('flaky') === MAX_DELIVERIES);
    const jsm = await jetstreamManager(admin);
    await waitFor(async () => (await jsm.streams.info(names.streams.commands)).state.messages === 0);
    expect((await readDeadLetters(jsm, names, { limit: 10 })).items.map((l) => l.msgId)).toEqual([
      'dl:always',
    ]);
    expect(await deadLettered()).toBe(1);
  });

  it('pages dead letters newest first', async () => {
    await send('second', 1_000);
    await send('third', 1_000);
    const jsm = await jetstreamManager(admin);
    await waitFor(async () => (await readDeadLetters(jsm, names, { limit: 10 })).total === 3);
    const first = await readDeadLetters(jsm, names, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextBefore).not.toBeNull();
    const second = await readDeadLetters(jsm, names, { limit: 2, before: first.nextBefore! });
    expect(second.items.map((l) => l.msgId)).toEqual(['dl:always']);
    expect(second.nextBefore).toBeNull();
    expect(new Set([...first.items, ...second.items].map((l) => l.seq)).size).toBe(3);
  });
});

describe('a message whose earlier deliveries never settled (real NATS)', () => {
  const names = natsNames(`dm${randomBytes(4).toString('hex')}`);
  let app: INestApplication;
  let admin: NatsConnection;

  afterAll(async () => {
    await app?.close();
    const jsm = await jetstreamManager(admin);
    for (const stream of Object.values(names.streams))
      await jsm.streams.delete(stream).catch(() => undefined);
    await admin.close();
  });

  it('is dead-lettered on arrival beyond the bound, without running its handler again', async () => {
    const logger = createLogger('dltest2', 'error');
    app = await NestFactory.create(
      {
        module: class CrashLoopProbeModule {},
        imports: [
          ObservabilityModule.forRoot({
            service: 'dltest2',
            logger,
            registry: createMetricsRegistry('dltest2'),
          }),
          MessagingModule.forRoot({
            service: 'dltest2',
            url: NATS_URL,
            namespace: names.namespace,
            maxDeliveries: MAX_DELIVERIES,
          }),
        ],
        controllers: [FlakyHandler],
      },
      { logger: false },
    );
    await app.init();
    admin = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(admin);
    const binding = {
      stream: names.streams.commands,
      durable: 'crashy',
      ackWaitMs: 5000,
      maxAckPending: 100,
      concurrency: 1,
      patternOf: stripNamespace(names),
    };
    await ensureConsumer(jsm, binding);
    await app.get(JetStreamPublisher).publish({
      subject: names.subjects.runStart,
      msgId: 'dl:crash-loop',
      payload: { id: 'crash-loop', failures: 0 },
    });
    // Stand-in for a handler that takes the process down each time: delivered, never settled
    // by the service (handed straight back), MAX_DELIVERIES times.
    const consumer = await jetstream(admin).consumers.get(binding.stream, binding.durable);
    for (let i = 1; i <= MAX_DELIVERIES; i++) {
      const msg = await consumer.next({ expires: 5000 });
      expect(msg?.info.deliveryCount).toBe(i);
      msg!.nak();
    }

    await startJetStreamConsumers(app, [binding], 300);
    await waitFor(async () => (await readDeadLetters(jsm, names, { limit: 10 })).items.length === 1);
    const [letter] = (await readDeadLetters(jsm, names, { limit: 10 })).items;
    expect(letter).toMatchObject({
      msgId: 'dl:crash-loop',
      deliveryCount: MAX_DELIVERIES + 1,
      consumer: 'crashy',
    });
    expect(letter!.lastError).toContain('without settling');
    // The handler (which would succeed) never ran: the message is gone all the same.
    expect(calls.get('crash-loop')).toBeUndefined();
    await waitFor(async () => (await jsm.streams.info(names.streams.commands)).state.messages === 0);
  });
});
