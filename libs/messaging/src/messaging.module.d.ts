import { type DynamicModule, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import { type NatsNames } from '@sandcastle/contracts';
import { type Logger } from '@sandcastle/observability';
import { JetStreamServer, type ConsumerBinding } from './jetstream.server';
import { type TopologyOptions } from './topology';
export declare const NATS_CONNECTION: unique symbol;
export declare const JETSTREAM: unique symbol;
export declare const NATS_NAMES: unique symbol;
export interface MessagingOptions {
    /** Service name: the connection name and the metric prefix. */
    service: string;
    url: string;
    namespace: string;
    topology?: TopologyOptions;
}
/** Connects and keeps reconnecting forever: a broker restart must not take a service down. */
export declare function connectNats(url: string, name: string, logger: Logger): Promise<NatsConnection>;
/**
 * Global module: the NATS connection, JetStream client, stream names for the configured
 * namespace, the publisher and messaging metrics. Streams are declared at boot by every
 * service (idempotent), so any service may start first.
 */
export declare class MessagingModule {
    static forRoot(options: MessagingOptions): DynamicModule;
}
/**
 * Attaches the JetStream consumers to an initialised app and starts them. Call it after
 * `app.init()`, so the streams exist and the database is connected before messages arrive.
 * Handler classes are marked `@JetStreamHandlers()` so their errors reach the transport.
 */
export declare function startJetStreamConsumers(app: INestApplication, bindings: ConsumerBinding[], drainTimeoutMs?: number): Promise<void>;
/** Builds the JetStream transport for `app.connectMicroservice({ strategy })`. */
export declare function createJetStreamServer(app: INestApplicationContext, bindings: ConsumerBinding[], drainTimeoutMs?: number): JetStreamServer;
/** Handler patterns are subjects without the namespace: `sc.step.result` → `step.result`. */
export declare function stripNamespace(names: NatsNames): (subject: string) => string;
