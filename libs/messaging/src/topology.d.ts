import { type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsNames } from '@sandcastle/contracts';
export declare const msToNanos: (ms: number) => number;
export interface TopologyOptions {
    /** How long the duplicate filter remembers a message id. Longer than any redelivery gap. */
    duplicateWindowMs: number;
    /** How long run events stay replayable (SSE resume, late subscribers). */
    eventsMaxAgeMs: number;
}
export declare const DEFAULT_TOPOLOGY: TopologyOptions;
/** The four streams of DESIGN.md. Work queues delete a message once a consumer acks it. */
export declare function streamConfigs(names: NatsNames, opts?: TopologyOptions): (Partial<StreamConfig> & {
    name: string;
})[];
/** Creates the streams, or updates them in place when they exist. Safe to run from every replica. */
export declare function ensureStreams(jsm: JetStreamManager, names: NatsNames, opts?: TopologyOptions): Promise<void>;
/** A durable pull consumer one service shares across all its replicas. */
export interface DurableConsumerSpec {
    stream: string;
    durable: string;
    filterSubject?: string;
    /** The server redelivers a message not acked (nor `working()`-extended) within this time. */
    ackWaitMs: number;
    /** How many unacked messages the consumer hands out across all replicas at once. */
    maxAckPending: number;
    /** How many messages one process handles at the same time. */
    concurrency: number;
}
export declare function ensureConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<void>;
