import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsNames, type NatsNames } from '@sandcastle/contracts';
import { createLogger, createMetricsRegistry, ObservabilityModule } from '@sandcastle/observability';
import { randomBytes } from 'node:crypto';
import { JetStreamPublisher } from '../jetstream-publisher';
import { MessagingModule, startJetStreamConsumers, stripNamespace } from '../messaging.module';
import type { ConsumerBinding } from '../jetstream.server';

export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** A Nest app consuming JetStream with test handlers, on a namespace of its own (real NATS). */
export interface JetStreamTestApp {
  app: INestApplication;
  names: NatsNames;
  publisher: JetStreamPublisher;
  /** A connection of the test's own, for looking at streams from outside. */
  admin: NatsConnection;
  /** Closes the app, deletes the namespace's streams, closes the admin connection. */
  close(): Promise<void>;
}

export interface JetStreamTestAppOptions {
  service: string;
  controllers: Type[];
  /** The consumers to start; `patternOf` is filled in for the app's namespace. */
  bindings: (names: NatsNames) => Omit<ConsumerBinding, 'patternOf'>[];
  maxDeliveries?: number;
  drainTimeoutMs?: number;
}

export async function startJetStreamTestApp(options: JetStreamTestAppOptions): Promise<JetStreamTestApp> {
  const names = natsNames(`${options.service}${randomBytes(4).toString('hex')}`);
  const app = await NestFactory.create(
    {
      module: class JetStreamTestModule {},
      imports: [
        ObservabilityModule.forRoot({
          service: options.service,
          logger: createLogger(options.service, 'error'),
          registry: createMetricsRegistry(options.service),
        }),
        MessagingModule.forRoot({
          service: options.service,
          url: TEST_NATS_URL,
          namespace: names.namespace,
          ...(options.maxDeliveries === undefined ? {} : { maxDeliveries: options.maxDeliveries }),
        }),
      ],
      controllers: options.controllers,
    },
    { logger: false },
  );
  await app.init();
  const patternOf = stripNamespace(names);
  await startJetStreamConsumers(
    app,
    options.bindings(names).map((binding) => ({ ...binding, patternOf })),
    options.drainTimeoutMs ?? 300,
  );
  const admin = await connect({ servers: TEST_NATS_URL });
  return {
    app,
    names,
    publisher: app.get(JetStreamPublisher),
    admin,
    async close() {
      await app.close();
      const jsm = await jetstreamManager(admin);
      for (const stream of Object.values(names.streams))
        await jsm.streams.delete(stream).catch(() => undefined);
      await admin.close();
    },
  };
}
