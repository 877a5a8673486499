import { randomBytes, randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsNames } from '@sandcastle/contracts';
import { StoppedRuns, stoppedRunsBucket } from './stopped-runs';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('StoppedRuns (real NATS key-value bucket)', () => {
  const names = natsNames(`sr${randomBytes(4).toString('hex')}`);
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(`KV_${stoppedRunsBucket(names)}`).catch(() => undefined);
    await nc.close();
  });

  it('tells a watcher that starts later about runs stopped before, then about new ones', async () => {
    const writer = await StoppedRuns.open(nc, names);
    const before = randomUUID();
    await writer.markStopped(before, 'Cancelled by user');

    const seen: [string, string][] = [];
    const reader = await StoppedRuns.open(nc, names);
    const stop = await reader.watch((runId, reason) => seen.push([runId, reason]));
    // The watch resolves only once the runs stopped earlier were delivered.
    expect(seen).toEqual([[before, 'Cancelled by user']]);

    const after = randomUUID();
    await writer.markStopped(after, 'Budget exceeded: $1.2000 >= $1.0000');
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen[1]).toEqual([after, 'Budget exceeded: $1.2000 >= $1.0000']);
    stop();
  });

  it('resolves at once on an empty bucket', async () => {
    const empty = natsNames(`se${randomBytes(4).toString('hex')}`);
    const runs = await StoppedRuns.open(nc, empty);
    const stop = await runs.watch(() => undefined);
    stop();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(`KV_${stoppedRunsBucket(empty)}`);
  });
});
