import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { NatsNames } from '@sandcastle/contracts';
import {
  currentLogContext,
  formatTraceparent,
  METRICS_REGISTRY,
  newTraceContext,
  withLogContext,
  type LogContext,
} from '@sandcastle/observability';
import type { Registry } from 'prom-client';
import type { JetStreamContext } from './jetstream.context';
import type { JetStreamPublisher } from './jetstream-publisher';
import { JetStreamHandlers } from './pass-through-rpc.filter';
import { startJetStreamTestApp, type JetStreamTestApp } from './testing/jetstream-test-app';

/** What each handled message saw: its log context and the traceparent header it arrived with. */
const seen = new Map<string, { context: LogContext | undefined; header: string | undefined }>();

@JetStreamHandlers()
class TraceProbe {
  @MessagePattern('step.dispatch')
  handle(
    @Payload() payload: { id: string; runId?: string; stepId?: string },
    @Ctx() ctx: JetStreamContext,
  ): void {
    seen.set(payload.id, {
      context: currentLogContext(),
      header: ctx.getArgByIndex(0).headers?.get('traceparent'),
    });
  }
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('trace context over JetStream (real NATS)', () => {
  let t: JetStreamTestApp;
  let names: NatsNames;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    t = await startJetStreamTestApp({
      service: 'tracetest',
      controllers: [TraceProbe],
      bindings: (n) => [
        { stream: n.streams.steps, durable: 'probe', ackWaitMs: 1000, maxAckPending: 100, concurrency: 4 },
      ],
    });
    ({ names, publisher } = t);
  });

  afterAll(() => t.close());

  const send = (id: string, extra: Record<string, unknown> = {}, traceparent?: string) =>
    publisher.publish({
      subject: names.subjects.stepDispatch,
      msgId: `trace:${id}`,
      payload: { id, ...extra },
      traceparent,
    });

  it('sends the publishing context’s span as the header; the handler runs in a child span of the same trace, with run and step', async () => {
    const trace = newTraceContext();
    await withLogContext({ trace }, () => send('a', { runId: 'run-a', stepId: 'enrich' }));
    await waitFor(() => seen.has('a'));
    const { context, header } = seen.get('a')!;
    expect(header).toBe(formatTraceparent(trace));
    expect(context?.trace?.traceId).toBe(trace.traceId);
    expect(context?.trace?.spanId).not.toBe(trace.spanId);
    expect(context).toMatchObject({ runId: 'run-a', stepId: 'enrich' });
  });

  it('prefers an explicit traceparent (an outbox row’s) over the context', async () => {
    const stored = formatTraceparent(newTraceContext());
    await withLogContext({ trace: newTraceContext() }, () => send('b', {}, stored));
    await waitFor(() => seen.has('b'));
    expect(seen.get('b')!.header).toBe(stored);
    expect(seen.get('b')!.context?.trace?.traceId).toBe(stored.split('-')[1]);
  });

  it('starts a new trace for a message without a header', async () => {
    await send('c');
    await waitFor(() => seen.has('c'));
    expect(seen.get('c')!.header).toBeFalsy();
    expect(seen.get('c')!.context?.trace?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.get('c')!.context).toMatchObject({ runId: null, stepId: null });
  });

  it('reports the consumer backlog read from the broker at scrape time', async () => {
    const registry = t.app.get<Registry>(METRICS_REGISTRY);
    const text = await registry.metrics();
    expect(text).toMatch(
      new RegExp(
        `^sandcastle_tracetest_consumer_pending_messages\\{stream="${names.streams.steps}",consumer="probe",service="tracetest"\\} 0$`,
        'm',
      ),
    );
    // Both gauges come from the same read, on the first scrape already.
    expect(text).toMatch(
      new RegExp(
        `^sandcastle_tracetest_consumer_ack_pending_messages\\{stream="${names.streams.steps}",consumer="probe",service="tracetest"\\} 0$`,
        'm',
      ),
    );
  });
});
