import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsNames } from '@sandcastle/contracts';
import { createLogger, createMetricsRegistry, ObservabilityModule } from '@sandcastle/observability';
import { randomBytes } from 'node:crypto';
import { JetStreamHandlers } from './pass-through-rpc.filter';
import type { JetStreamContext } from './jetstream.context';
import { JetStreamPublisher } from './jetstream-publisher';
import { Outcome, type HandlerOutcome } from './handler-outcome';
import { MessagingModule, startJetStreamConsumers, stripNamespace } from './messaging.module';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ACK_WAIT_MS = 1000;
const HANDLER_MS = 1600;

const started: { id: string; deliveryCount: number }[] = [];
let running = 0;
let mostRunning = 0;

@JetStreamHandlers()
class SlowHandler {
  @MessagePattern('step.dispatch')
  async handle(@Payload() payload: { id: string }, @Ctx() ctx: JetStreamContext): Promise<HandlerOutcome> {
    started.push({ id: payload.id, deliveryCount: ctx.deliveryCount });
    running++;
    mostRunning = Math.max(mostRunning, running);
    await new Promise((r) => setTimeout(r, HANDLER_MS));
    running--;
    return Outcome.ack();
  }
}

/**
 * `prefetch: false` (the executors' mode): a backlog larger than the handler slots waits in the
 * stream, not in the process, so no message outlives its ack wait unheartbeated and runs twice.
 * (With a prefetching `consume()` the same backlog is buffered in the process, and every buffered
 * message whose wait exceeds the ack wait is delivered again and handled twice.)
 */
describe('JetStreamServer pulling for free slots only (real NATS)', () => {
  const names = natsNames(`ms${randomBytes(4).toString('hex')}`);
  let app: INestApplication;
  let admin: NatsConnection;

  beforeAll(async () => {
    const logger = createLogger('slottest', 'error');
    app = await NestFactory.create(
      {
        module: class SlotModule {},
        imports: [
          ObservabilityModule.forRoot({
            service: 'slottest',
            logger,
            registry: createMetricsRegistry('slottest'),
          }),
          MessagingModule.forRoot({ service: 'slottest', url: NATS_URL, namespace: names.namespace }),
        ],
        controllers: [SlowHandler],
      },
      { logger: false },
    );
    await app.init();
    await startJetStreamConsumers(
      app,
      [
        {
          stream: names.streams.steps,
          durable: 'slots',
          ackWaitMs: ACK_WAIT_MS,
          maxAckPending: 100,
          concurrency: 2,
          prefetch: false,
          patternOf: stripNamespace(names),
        },
      ],
      300,
    );
    admin = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await app.close();
    const jsm = await jetstreamManager(admin);
    for (const stream of Object.values(names.streams))
      await jsm.streams.delete(stream).catch(() => undefined);
    await admin.close();
  });

  it('handles a backlog of slow messages once each, never more at once than its slots', async () => {
    const publisher = app.get(JetStreamPublisher);
    const ids = Array.from({ length: 8 }, (_x, i) => `m${i}`);
    for (const id of ids) {
      await publisher.publish({ subject: names.subjects.stepDispatch, msgId: `slot:${id}`, payload: { id } });
    }
    const deadline = Date.now() + 30_000;
    while (started.length < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Long enough for any message held past its ack wait to come back.
    await new Promise((r) => setTimeout(r, HANDLER_MS + 2 * ACK_WAIT_MS));
    expect(started.map((s) => s.id).sort()).toEqual(ids);
    expect(started.every((s) => s.deliveryCount === 1)).toBe(true);
    expect(mostRunning).toBeLessThanOrEqual(2);
  });
});
