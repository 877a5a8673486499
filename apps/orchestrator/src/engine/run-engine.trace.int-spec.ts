import { AckPolicy, jetstream, type PubAck } from '@nats-io/jetstream';
import { JetStreamPublisher, type OutgoingMessage } from '@sandcastle/messaging';
import { parseTraceparent } from '@sandcastle/observability';
import { EngineFixture } from './testing/engine-fixture';

const TWO_STEPS = `
name: Traced
runtime: simulated
steps:
  - id: first
    prompt: first
  - id: second
    depends_on: [first]
    prompt: second
`;

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A publisher whose broker is "away" while `failing` is set (publishes throw, nothing is sent). */
class SwitchablePublisher extends JetStreamPublisher {
  failing = false;
  readonly sent: OutgoingMessage[] = [];

  override async publish(message: OutgoingMessage): Promise<PubAck> {
    if (this.failing) throw new Error('broker away');
    this.sent.push(message);
    return super.publish(message);
  }
}

/** One trace per run through the outbox: stored with each row, kept by the relay, sent as a header. */
describe('RunEngine trace context (real PostgreSQL and NATS)', () => {
  const f = new EngineFixture();
  let publisher: SwitchablePublisher;

  beforeAll(async () => {
    await f.setUp('tr');
    publisher = new SwitchablePublisher(f.nc);
  });

  afterAll(() => f.tearDown());

  it('stores the run’s traceparent with its outbox rows, and the relay publishes them with it as the header', async () => {
    const { engine, metrics } = await f.engine({}, { publisher });
    const runId = await f.insertRun(TWO_STEPS);
    await f.db.query(`UPDATE runs SET traceparent = $2 WHERE id = $1`, [runId, TRACEPARENT]);

    publisher.failing = true;
    expect(await engine.startRun(runId)).toBe(true);
    const rows = await f.db.query<{ subject: string; traceparent: string }[]>(
      `SELECT subject, traceparent FROM outbox WHERE failed_at IS NULL ORDER BY id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.traceparent).toBe(TRACEPARENT);

    // The broker is back: the relay (not the transition) publishes the rows, with the stored trace.
    publisher.failing = false;
    await f.jsm.consumers.add(f.names.streams.steps, {
      durable_name: 'reader',
      ack_policy: AckPolicy.Explicit,
    });
    expect(await engine.relayOutbox(0)).toBe(rows.length);
    const consumer = await jetstream(f.nc).consumers.get(f.names.streams.steps, 'reader');
    const dispatch = await consumer.next({ expires: 5000 });
    expect(dispatch?.headers?.get('traceparent')).toBe(TRACEPARENT);
    dispatch?.ack();
    expect(publisher.sent.every((m) => m.traceparent === TRACEPARENT)).toBe(true);

    // The relay pass also measured the backlog it left: none.
    expect((await metrics.outboxPending.get()).values[0]?.value).toBe(0);
    expect((await metrics.outboxOldestAge.get()).values[0]?.value).toBe(0);
  });

  it('gives a run stored without a trace one at its first transition, and keeps it', async () => {
    const { engine } = await f.engine({}, { publisher });
    const runId = await f.insertRun(TWO_STEPS);
    publisher.failing = true; // the rows stay in the outbox to be looked at
    expect(await engine.startRun(runId)).toBe(true);
    publisher.failing = false;
    const [run] = await f.db.query<{ traceparent: string | null }[]>(
      `SELECT traceparent FROM runs WHERE id = $1`,
      [runId],
    );
    expect(parseTraceparent(run!.traceparent)).not.toBeNull();
    const rows = await f.db.query<{ traceparent: string }[]>(
      `SELECT traceparent FROM outbox WHERE payload LIKE $1`,
      [`%${runId}%`],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.traceparent).toBe(run!.traceparent);
  });
});
