import { jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { PublishAckTimeoutError, PublishAcks, PublishRefusedError } from './publish-acks';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const data = (text: string) => new TextEncoder().encode(text);
const withId = (id: string) => {
  const h = headers();
  h.set('Nats-Msg-Id', id);
  return h;
};

/** Publish acknowledgements on one inbox, against a real JetStream. */
describe('PublishAcks (real NATS)', () => {
  const stream = `ACKS_${randomBytes(4).toString('hex')}`;
  const subject = `${stream.toLowerCase()}.in`;
  let nc: NatsConnection;
  let acks: PublishAcks;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [subject], max_msgs_per_subject: 2 });
    acks = new PublishAcks(nc);
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream);
    await nc.close();
  });

  it('resolves with the stream and sequence once stored, and flags a repeated id as a duplicate', async () => {
    const first = await acks.publish(subject, data('a'), withId('one'), 2000);
    expect(first).toEqual({ stream, seq: expect.any(Number), duplicate: false });
    const again = await acks.publish(subject, data('a'), withId('one'), 2000);
    expect(again).toEqual({ stream, seq: first.seq, duplicate: true });
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(stream)).state.messages).toBe(1);
  });

  it('matches many concurrent acknowledgements to their own publishes', async () => {
    const stored = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        acks.publish(subject, data(String(i)), withId(`many-${i}`), 5000),
      ),
    );
    const seqs = stored.map((s) => s.seq);
    expect(new Set(seqs).size).toBe(200);
    // Publishes leave in order, so the stream stores them in order.
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(acks.pending).toBe(0);
  });

  it('refuses a subject no stream captures', async () => {
    const err = await acks
      .publish(`${subject}.nowhere`, data('x'), withId('lost'), 2000)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishRefusedError);
    expect(err).toMatchObject({ code: 503 });
  });

  it('refuses what the stream rejects, with its reason', async () => {
    const h = withId('expect-wrong');
    h.set('Nats-Expected-Stream', 'NOT_THIS_ONE');
    const err = await acks.publish(subject, data('x'), h, 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishRefusedError);
    expect((err as Error).message).toMatch(/stream/i);
  });

  it('times out when nothing acknowledges (a listener that is not a stream)', async () => {
    const silent = `${stream.toLowerCase()}.silent`;
    const listener = nc.subscribe(silent, { callback: () => undefined });
    await nc.flush();
    const started = Date.now();
    const err = await acks.publish(silent, data('x'), withId('silent'), 300).catch((e: unknown) => e);
    listener.unsubscribe();
    expect(err).toBeInstanceOf(PublishAckTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(acks.pending).toBe(0);
  });

  it('rejects at once on a closed connection', async () => {
    const closed = await connect({ servers: NATS_URL });
    const own = new PublishAcks(closed);
    await closed.close();
    await expect(own.publish(subject, data('x'), withId('closed'), 2000)).rejects.toThrow();
    expect(own.pending).toBe(0);
  });
});
