import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import {
  MESSAGE_SCHEMA_VERSION,
  type RunEvent,
  type RunEventType,
  type RunView,
} from '@sandcastle/contracts';
import { RunEntity } from '@sandcastle/persistence';
import type { QueryDeepPartialEntity } from 'typeorm';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import { RunEventHub } from './run-event-hub.service';

interface SseEvent {
  id: number;
  event: string;
  data: unknown;
}

/**
 * A minimal SSE reader for the test: frames are split on blank lines; comments are counted.
 * (The CLI has the full parser; this one only needs what the gateway writes.)
 */
class SseTestClient {
  comments = 0;
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private ended = false;

  private constructor(
    readonly response: Response,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseTestClient> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    if (!response.body) throw new Error('no body');
    return new SseTestClient(response, response.body.getReader(), controller);
  }

  /** The next event, or null once the server closed the stream. */
  async next(): Promise<SseEvent | null> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (frame.startsWith(':')) {
          this.comments++;
          continue;
        }
        const fields = new Map<string, string>();
        for (const line of frame.split('\n')) {
          const colon = line.indexOf(': ');
          fields.set(line.slice(0, colon), line.slice(colon + 2));
        }
        return {
          id: Number(fields.get('id')),
          event: fields.get('event') ?? '',
          data: JSON.parse(fields.get('data') ?? 'null'),
        };
      }
      if (this.ended) return null;
      const { done, value } = await this.reader.read();
      if (done) this.ended = true;
      else this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  async take(count: number): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    while (events.length < count) {
      const event = await this.next();
      if (!event) throw new Error(`stream closed after ${events.length} of ${count} events`);
      events.push(event);
    }
    return events;
  }

  /** Reads until the server closes the stream; returns what came. */
  async rest(): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    for (let e = await this.next(); e; e = await this.next()) events.push(e);
    return events;
  }

  close(): void {
    this.controller.abort();
    this.reader.cancel().catch(() => undefined);
  }
}

describe('GET /runs/{id}/stream (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  const runs = () => gw.db.dataSource.getRepository(RunEntity);

  async function insertRun(fields: QueryDeepPartialEntity<RunEntity> = {}): Promise<string> {
    const id = randomUUID();
    await runs().insert({
      id,
      tenantId: 'default',
      workflowName: 'streamed',
      definition: { steps: [{ id: 'a' }, { id: 'b' }] },
      rootRunId: id,
      status: 'running',
      startedAt: new Date(),
      ...fields,
    });
    return id;
  }

  /** Publishes a run event as the orchestrator does; returns its stream sequence. */
  async function publish(
    runId: string,
    type: RunEventType,
    data: Record<string, unknown>,
    tenantId = 'default',
  ): Promise<number> {
    const event: RunEvent = {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId,
      runId,
      type,
      at: new Date().toISOString(),
      data,
    };
    const ack = await js.publish(gw.names.runEvent(runId, event.type), JSON.stringify(event));
    return ack.seq;
  }

  const stepData = (runId: string, stepId: string, status: string) => ({
    run_id: runId,
    step_id: stepId,
    parallel_index: null,
    status,
    attempt: 1,
    cost_usd: 0.01,
  });

  /** Finishes the run in the database, then publishes its final events (as the engine does). */
  async function finishRun(runId: string): Promise<{ status: number; result: number }> {
    await runs().update(
      { id: runId },
      { status: 'completed', completedAt: new Date(), outputs: { a: 'done' }, totalCostUsd: 0.02 },
    );
    return {
      status: await publish(runId, 'status', { run_id: runId, status: 'completed', error: null }),
      result: await publish(runId, 'result', { run_id: runId, status: 'completed' }),
    };
  }

  const streamUrl = (runId: string) => `${gw.url}/runs/${runId}/stream`;

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    // `name{service="gateway"} 2` (the registry labels every series with the service).
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
  }

  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const consumerCount = async () => (await jsm.streams.info(gw.names.streams.events)).state.consumer_count;

  beforeAll(async () => {
    process.env['SSE_HEARTBEAT_MS'] = '50';
    gw = await startTestGateway({
      namespacePrefix: 'sse',
      logLevel: 'info',
      env: { WORKFLOWS_DIR: '/nonexistent-sse-test-dir', DB_POOL_SIZE: '4' },
    });
    js = jetstream(gw.nc);
    jsm = await jetstreamManager(gw.nc);
  });

  afterAll(async () => {
    delete process.env['SSE_HEARTBEAT_MS'];
    await gw?.stop();
  });

  it('answers an unknown run, another tenant’s run and a bad id with a JSON error before streaming', async () => {
    const unknown = await fetch(streamUrl(randomUUID()));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('RUN_NOT_FOUND');

    const foreign = await insertRun({ tenantId: 'someone-else' });
    const hidden = await fetch(streamUrl(foreign));
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { error: { code: string } }).error.code).toBe('RUN_NOT_FOUND');

    const bad = await fetch(`${gw.url}/runs/not-a-uuid/stream`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_ID');
  });

  it('sends the run first, then its events as they happen with their stream sequence as id, then the result', async () => {
    const runId = await insertRun();
    const other = await insertRun();
    await publish(runId, 'step', stepData(runId, 'a', 'running'));
    const before = await publish(runId, 'step', stepData(runId, 'a', 'completed'));
    await publish(other, 'step', stepData(other, 'a', 'running'));

    const client = await SseTestClient.open(streamUrl(runId));
    expect(client.response.status).toBe(200);
    expect(client.response.headers.get('content-type')).toContain('text/event-stream');
    expect(client.response.headers.get('cache-control')).toBe('no-cache');
    expect(client.response.headers.get('x-accel-buffering')).toBe('no');

    const [status] = await client.take(1);
    // The snapshot already holds what happened before: its id is the last event it reflects.
    expect(status).toMatchObject({ id: before, event: 'status' });
    expect(status!.data).toMatchObject({ run_id: runId, status: 'running', workflow_name: 'streamed' });
    expect((status!.data as RunView).steps).toEqual([]);

    const published: number[] = [];
    published.push(await publish(runId, 'step', stepData(runId, 'b', 'running')));
    await publish(other, 'step', stepData(other, 'b', 'running'));
    // Not a RunEvent: skipped, the stream goes on.
    await js.publish(gw.names.runEvent(runId, 'step'), '{"nonsense": true}');
    published.push(
      await publish(runId, 'budget', { run_id: runId, total_cost_usd: 0.8, max_cost_usd: 1, ratio: 0.8 }),
    );
    published.push(await publish(runId, 'step', stepData(runId, 'b', 'completed')));
    const finished = await finishRun(runId);

    const events = await client.rest();
    expect(events.map((e) => e.event)).toEqual(['step', 'budget', 'step', 'status', 'result']);
    expect(events.slice(0, 3).map((e) => e.id)).toEqual(published);
    expect(events[0]!.data).toEqual(stepData(runId, 'b', 'running'));
    expect(events[1]!.data).toEqual({ run_id: runId, total_cost_usd: 0.8, max_cost_usd: 1, ratio: 0.8 });
    expect(events[3]).toMatchObject({ id: finished.status, data: { status: 'completed' } });
    // The result is the finished run as GET /runs/{id} answers it.
    const result = events[4]!;
    expect(result.id).toBe(finished.result);
    const run = (await (await fetch(`${gw.url}/runs/${runId}`)).json()) as { data: RunView };
    expect(result.data).toEqual(run.data);
    expect(result.data).toMatchObject({ status: 'completed', outputs: { a: 'done' }, total_cost_usd: 0.02 });
    const ids = [status!.id, ...events.map((e) => e.id)];
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('sends a finished run’s status and result at once and closes', async () => {
    const runId = await insertRun();
    await publish(runId, 'step', stepData(runId, 'a', 'completed'));
    const { result: last } = await finishRun(runId);

    const client = await SseTestClient.open(streamUrl(runId));
    const events = await client.rest();
    expect(events.map((e) => [e.event, e.id])).toEqual([
      ['status', last],
      ['result', last],
    ]);
    expect(events[0]!.data).toMatchObject({ run_id: runId, status: 'completed' });
    expect(events[1]!.data).toEqual(events[0]!.data);
    // A finished run needs no live feed.
    expect(gw.app.get(RunEventHub).size).toBe(0);
  });

  it('resumes after Last-Event-ID with every later event once, whether it came while away or after', async () => {
    const runId = await insertRun();
    const noise = await insertRun();
    const seqs = [await publish(runId, 'step', stepData(runId, 'a', 'queued'))];

    const first = await SseTestClient.open(streamUrl(runId));
    const received: SseEvent[] = await first.take(1);
    seqs.push(await publish(runId, 'step', stepData(runId, 'a', 'running')));
    seqs.push(await publish(runId, 'step', stepData(runId, 'a', 'completed')));
    received.push(...(await first.take(2)));
    first.close();

    // While the client is away (the gateway has not noticed yet, or has: either way).
    seqs.push(await publish(runId, 'step', stepData(runId, 'b', 'running')));
    await publish(noise, 'step', stepData(noise, 'a', 'running'));
    seqs.push(await publish(runId, 'step', stepData(runId, 'b', 'completed')));

    const lastSeen = received.at(-1)!.id;
    const second = await SseTestClient.open(streamUrl(runId), { 'Last-Event-ID': String(lastSeen) });
    const resumed = await second.take(2);
    const finished = await finishRun(runId);
    seqs.push(finished.status, finished.result);
    resumed.push(...(await second.rest()));

    // No snapshot on resume: straight on from where the client was.
    expect(received[0]).toMatchObject({ event: 'status', id: seqs[0] });
    expect(resumed.map((e) => e.event)).toEqual(['step', 'step', 'status', 'result']);
    // Together: every event of the run once, in order, none of the other run's.
    expect([...received, ...resumed].map((e) => e.id)).toEqual(seqs);
    expect(resumed.at(-1)!.data).toMatchObject({ run_id: runId, status: 'completed' });
  });

  it('resumes a finished run with the events the client missed, then the result', async () => {
    const runId = await insertRun();
    const seen = await publish(runId, 'step', stepData(runId, 'a', 'running'));
    const missed = await publish(runId, 'step', stepData(runId, 'a', 'completed'));
    const finished = await finishRun(runId);

    const client = await SseTestClient.open(streamUrl(runId), { 'Last-Event-ID': String(seen) });
    const events = await client.rest();
    expect(events.map((e) => [e.event, e.id])).toEqual([
      ['step', missed],
      ['status', finished.status],
      ['result', finished.result],
    ]);
  });

  it('starts over with a snapshot when events after Last-Event-ID may have expired', async () => {
    const runId = await insertRun();
    const old = await publish(runId, 'step', stepData(runId, 'a', 'running'));
    await publish(runId, 'step', stepData(runId, 'a', 'completed'));
    const kept = await publish(runId, 'step', stepData(runId, 'b', 'running'));
    // Drop everything before `kept`, as max age would.
    await jsm.streams.purge(gw.names.streams.events, { seq: kept });

    const client = await SseTestClient.open(streamUrl(runId), { 'Last-Event-ID': String(old) });
    const [first] = await client.take(1);
    expect(first).toMatchObject({ event: 'status', id: kept, data: { run_id: runId } });
    client.close();
  });

  it('shares one feed between the clients of a run, and frees it when the last one leaves', async () => {
    const runId = await insertRun();
    const hub = gw.app.get(RunEventHub);
    // Feeds of earlier tests are released asynchronously (the broker deletes their consumers a
    // moment after the last client left): start counting once they are all gone.
    await eventually(async () => hub.size === 0 && (await consumerCount()) === 0, 'earlier feeds released');
    const consumersBefore = await consumerCount();
    const a = await SseTestClient.open(streamUrl(runId));
    const b = await SseTestClient.open(streamUrl(runId));
    await a.take(1);
    await b.take(1);
    expect(hub.size).toBe(1);
    expect(await metric('sandcastle_gateway_sse_subscriptions')).toBe(1);
    expect(await metric('sandcastle_gateway_sse_clients')).toBe(2);
    await eventually(
      async () => (await consumerCount()) === consumersBefore + 1,
      'one consumer for both clients',
    );
    expect(await consumerCount()).toBe(consumersBefore + 1);

    const seq = await publish(runId, 'step', stepData(runId, 'a', 'running'));
    expect((await a.take(1))[0]!.id).toBe(seq);
    expect((await b.take(1))[0]!.id).toBe(seq);

    a.close();
    await eventually(async () => (await metric('sandcastle_gateway_sse_clients')) === 1, 'one client');
    expect(hub.size).toBe(1);
    const next = await publish(runId, 'step', stepData(runId, 'a', 'completed'));
    expect((await b.take(1))[0]!.id).toBe(next);

    b.close();
    await eventually(async () => (await metric('sandcastle_gateway_sse_clients')) === 0, 'no clients');
    expect(hub.size).toBe(0);
    expect(await metric('sandcastle_gateway_sse_subscriptions')).toBe(0);
    // The broker-side consumer is deleted at once, not left to expire.
    await eventually(async () => (await consumerCount()) === consumersBefore, 'the consumer deleted');
  });

  it('keeps an idle stream open with keep-alive comments', async () => {
    const runId = await insertRun();
    const client = await SseTestClient.open(streamUrl(runId));
    await client.take(1);
    const event = client.next();
    await eventually(async () => client.comments >= 2, 'keep-alive comments');
    const seq = await publish(runId, 'step', stepData(runId, 'a', 'running'));
    expect(await event).toMatchObject({ id: seq, event: 'step' });
    client.close();
  });

  // Last: it stops the gateway.
  it('ends open streams when the gateway shuts down, so that it can stop', async () => {
    const runId = await insertRun();
    const client = await SseTestClient.open(streamUrl(runId));
    await client.take(1);
    const rest = client.rest();
    await gw.closeApp();
    // The stream ended without a result: a client reconnects (to another replica) and resumes.
    expect(await rest).toEqual([]);
  });
});
