import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
  type INestApplicationContext,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { Registry } from 'prom-client';
import { natsNames, type NatsNames } from '@sandcastle/contracts';
import { HealthRegistry, LOGGER, METRICS_REGISTRY, type Logger } from '@sandcastle/observability';
import { JetStreamPublisher } from './jetstream-publisher';
import { JetStreamServer, type ConsumerBinding } from './jetstream.server';
import { MessagingMetrics } from './messaging.metrics';
import { DeadLetterPublisher } from './dead-letters';
import { DEFAULT_TOPOLOGY, ensureStreams, type TopologyOptions } from './topology';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const JETSTREAM = Symbol('JETSTREAM');
export const NATS_NAMES = Symbol('NATS_NAMES');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** Service name: the connection name and the metric prefix. */
  service: string;
  url: string;
  namespace: string;
  topology?: TopologyOptions;
  /** Deliveries of one message before it becomes a dead letter (MESSAGE_MAX_DELIVERIES, 20). */
  maxDeliveries?: number;
}

/** Connects and keeps reconnecting forever: a broker restart must not take a service down. */
export async function connectNats(url: string, name: string, logger: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: url,
    name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // Without this, every request (each JetStream publish) builds an Error up front to keep
    // the caller's stack for a possible timeout: a few percent of a busy service's CPU.
    noAsyncTraces: true,
  });
  logger.info('connected to NATS', { url, server: nc.getServer() });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') {
        logger.warn(`NATS ${status.type}`, { server: 'server' in status ? status.server : undefined });
      }
    }
  })();
  return nc;
}

@Injectable()
class NatsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await ensureStreams(
      await jetstreamManager(this.nc),
      this.names,
      this.options.topology ?? DEFAULT_TOPOLOGY,
    );
    this.health.register(
      'nats',
      async () => {
        if (this.nc.isClosed()) return false;
        await this.nc.rtt();
        return true;
      },
      { critical: true },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.nc.isClosed()) return;
    // Drain: flush what we published, let subscriptions finish, then close.
    await this.nc.drain().catch((err: unknown) => this.logger.warn('NATS drain failed', { err }));
  }
}

/**
 * Global module: the NATS connection, JetStream client, stream names for the configured
 * namespace, the publisher and messaging metrics. Streams are declared at boot by every
 * service (idempotent), so any service may start first.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NATS_CONNECTION,
          useFactory: (logger: Logger) => connectNats(options.url, options.service, logger),
          inject: [LOGGER],
        },
        { provide: JETSTREAM, useFactory: (nc: NatsConnection) => jetstream(nc), inject: [NATS_CONNECTION] },
        { provide: NATS_NAMES, useValue: natsNames(options.namespace) },
        {
          provide: JetStreamPublisher,
          useFactory: (nc: NatsConnection) => new JetStreamPublisher(nc),
          inject: [NATS_CONNECTION],
        },
        {
          provide: DeadLetterPublisher,
          useFactory: (js: JetStreamClient, names: NatsNames) => new DeadLetterPublisher(js, names),
          inject: [JETSTREAM, NATS_NAMES],
        },
        {
          provide: MessagingMetrics,
          useFactory: (registry: Registry) => new MessagingMetrics(registry, options.service),
          inject: [METRICS_REGISTRY],
        },
        NatsLifecycle,
      ],
      exports: [
        NATS_CONNECTION,
        JETSTREAM,
        NATS_NAMES,
        MESSAGING_OPTIONS,
        JetStreamPublisher,
        DeadLetterPublisher,
        MessagingMetrics,
      ],
    };
  }
}

/**
 * Attaches the JetStream consumers to an initialised app and starts them. Call it after
 * `app.init()`, so the streams exist and the database is connected before messages arrive.
 * Handler classes are marked `@JetStreamHandlers()` so their errors reach the transport.
 */
export async function startJetStreamConsumers(
  app: INestApplication,
  bindings: ConsumerBinding[],
  drainTimeoutMs?: number,
): Promise<void> {
  app.connectMicroservice({ strategy: createJetStreamServer(app, bindings, drainTimeoutMs) });
  await app.startAllMicroservices();
}

/** Builds the JetStream transport for `app.connectMicroservice({ strategy })`. */
export function createJetStreamServer(
  app: INestApplicationContext,
  bindings: ConsumerBinding[],
  drainTimeoutMs?: number,
): JetStreamServer {
  const options = app.get<MessagingOptions>(MESSAGING_OPTIONS);
  return new JetStreamServer({
    service: options.service,
    maxDeliveries: options.maxDeliveries,
    deadLetters: app.get(DeadLetterPublisher),
    nc: app.get<NatsConnection>(NATS_CONNECTION),
    js: app.get<JetStreamClient>(JETSTREAM),
    bindings,
    logger: app.get<Logger>(LOGGER),
    metrics: app.get(MessagingMetrics),
    drainTimeoutMs,
  });
}

/** Handler patterns are subjects without the namespace: `sc.step.result` → `step.result`. */
export function stripNamespace(names: NatsNames): (subject: string) => string {
  const prefix = `${names.namespace}.`;
  return (subject) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : subject);
}
