import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { JetStreamHandlers } from './pass-through-rpc.filter';
import type { JetStreamContext } from './jetstream.context';
import { Outcome, type HandlerOutcome } from './handler-outcome';
import { startJetStreamTestApp, type JetStreamTestApp } from './testing/jetstream-test-app';

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
  let t: JetStreamTestApp;

  beforeAll(async () => {
    t = await startJetStreamTestApp({
      service: 'slottest',
      controllers: [SlowHandler],
      bindings: (names) => [
        {
          stream: names.streams.steps,
          durable: 'slots',
          ackWaitMs: ACK_WAIT_MS,
          maxAckPending: 100,
          concurrency: 2,
          prefetch: false,
        },
      ],
    });
  });

  afterAll(() => t.close());

  it('handles a backlog of slow messages once each, never more at once than its slots', async () => {
    const { publisher, names } = t;
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
