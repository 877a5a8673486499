import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { natsNames, type NatsNames } from '@sandcastle/contracts';
import { createTestDatabase, type TestDatabase } from '../../../../libs/persistence/src/testing';

export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** What a test gateway runs on: its own database and its own NATS namespace on the shared server. */
export interface TestBackend {
  db: TestDatabase;
  names: NatsNames;
  /** A connection of the test's own, for reading commands and publishing events. */
  nc: NatsConnection;
  /** Deletes the namespace's streams, closes the connection and drops the database. */
  dispose(): Promise<void>;
}

/**
 * A fresh database and a random namespace `<prefix><hex>`; the prefix tells which spec left
 * streams behind if a run is killed before dispose().
 */
export async function createTestBackend(namespacePrefix: string): Promise<TestBackend> {
  const names = natsNames(`${namespacePrefix}${randomBytes(4).toString('hex')}`);
  const db = await createTestDatabase();
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: TEST_NATS_URL });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    db,
    names,
    nc,
    async dispose() {
      // The gateway creates the streams at boot; deleting a missing one is not an error here.
      const jsm = await jetstreamManager(nc);
      for (const stream of Object.values(names.streams)) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
      await nc.close();
      await db.drop();
    },
  };
}
