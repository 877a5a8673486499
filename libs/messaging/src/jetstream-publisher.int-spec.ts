import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { HEADER_ALLOWANCE_BYTES, JetStreamPublisher, PayloadTooLargeError } from './jetstream-publisher';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** The publisher refuses what the broker would refuse, before sending, with a typed error. */
describe('JetStreamPublisher max payload guard (real NATS)', () => {
  const stream = `PUBGUARD_${randomBytes(4).toString('hex')}`;
  const subject = `${stream.toLowerCase()}.x`;
  let nc: NatsConnection;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [subject] });
    publisher = new JetStreamPublisher(nc);
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream);
    await nc.close();
  });

  it("reads the server's max_payload", () => {
    expect(publisher.maxPayloadBytes()).toBe(nc.info!.max_payload);
    expect(publisher.maxMessageBytes()).toBe(nc.info!.max_payload - HEADER_ALLOWANCE_BYTES);
  });

  it('refuses a payload above the limit with PayloadTooLargeError and sends nothing', async () => {
    const jsm = await jetstreamManager(nc);
    const before = (await jsm.streams.info(stream)).state.messages;
    const payload = { blob: 'x'.repeat(publisher.maxPayloadBytes()) };
    const error = await publisher.publish({ subject, msgId: 'big-1', payload }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ msgId: 'big-1', subject, maxBytes: publisher.maxMessageBytes() });
    expect((await jsm.streams.info(stream)).state.messages).toBe(before);
  });

  it('publishes a payload at the limit', async () => {
    const overhead = JSON.stringify({ blob: '' }).length;
    const payload = { blob: 'y'.repeat(publisher.maxMessageBytes() - overhead) };
    const ack = await publisher.publish({ subject, msgId: 'edge-1', payload });
    expect(ack.stream).toBe(stream);
  });
});
