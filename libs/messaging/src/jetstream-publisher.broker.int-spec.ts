import { connect } from '@nats-io/transport-node';
import { JetStreamPublisher } from './jetstream-publisher';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('JetStreamPublisher.brokerAnswers (real NATS)', () => {
  it('tells a broker that answers from one that cannot be reached', async () => {
    const nc = await connect({ servers: NATS_URL });
    const publisher = new JetStreamPublisher(nc);
    expect(await publisher.brokerAnswers()).toBe(true);
    await nc.close();
    expect(await publisher.brokerAnswers()).toBe(false);
  });
});
