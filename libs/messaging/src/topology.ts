import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { NatsNames } from '@sandcastle/contracts';

const NS_PER_MS = 1_000_000;

function isNotFound(err: unknown): boolean {
  // The API answers 404 for a missing stream or consumer (error codes 10059 / 10014).
  return err instanceof JetStreamApiError && err.status === 404;
}
export const msToNanos = (ms: number): number => ms * NS_PER_MS;

export interface TopologyOptions {
  /** How long the duplicate filter remembers a message id. Longer than any redelivery gap. */
  duplicateWindowMs: number;
  /** How long run events stay replayable (SSE resume, late subscribers). */
  eventsMaxAgeMs: number;
  /** How long dead letters are kept for operators (docs/operations.md). */
  deadLettersMaxAgeMs: number;
  /** At most this many dead letters are kept; a flood of poison drops the oldest, not the disk. */
  deadLettersMaxMessages: number;
}

export const DEFAULT_TOPOLOGY: TopologyOptions = {
  duplicateWindowMs: 10 * 60_000,
  eventsMaxAgeMs: 24 * 60 * 60_000,
  deadLettersMaxAgeMs: 30 * 24 * 60 * 60_000,
  deadLettersMaxMessages: 100_000,
};

/**
 * The four streams of DESIGN.md, plus the notifier's work queue and the dead letters. Work queues delete a message once a
 * consumer acks it.
 */
export function streamConfigs(
  names: NatsNames,
  opts: TopologyOptions = DEFAULT_TOPOLOGY,
): (Partial<StreamConfig> & { name: string })[] {
  const common = {
    storage: StorageType.File,
    duplicate_window: msToNanos(opts.duplicateWindowMs),
    num_replicas: 1,
  };
  return [
    {
      ...common,
      name: names.streams.commands,
      subjects: [`${names.namespace}.cmd.>`],
      retention: RetentionPolicy.Workqueue,
    },
    {
      ...common,
      name: names.streams.steps,
      subjects: [names.subjects.stepDispatch],
      retention: RetentionPolicy.Workqueue,
    },
    {
      ...common,
      name: names.streams.results,
      subjects: [names.subjects.stepResult, names.subjects.stepStarted],
      retention: RetentionPolicy.Workqueue,
    },
    {
      ...common,
      name: names.streams.events,
      subjects: [names.subjects.runEventsAll],
      retention: RetentionPolicy.Limits,
      max_age: msToNanos(opts.eventsMaxAgeMs),
      duplicate_window: msToNanos(Math.min(opts.duplicateWindowMs, opts.eventsMaxAgeMs)),
    },
    {
      ...common,
      name: names.streams.notifications,
      subjects: [names.subjects.notificationsAll],
      retention: RetentionPolicy.Workqueue,
    },
    {
      ...common,
      name: names.streams.deadLetters,
      subjects: [names.subjects.deadLettersAll],
      retention: RetentionPolicy.Limits,
      max_age: msToNanos(opts.deadLettersMaxAgeMs),
      max_msgs: opts.deadLettersMaxMessages,
    },
  ];
}

/** Creates the streams, or updates them in place when they exist. Safe to run from every replica. */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: NatsNames,
  opts: TopologyOptions = DEFAULT_TOPOLOGY,
): Promise<void> {
  for (const config of streamConfigs(names, opts)) {
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (err) {
      if (isNotFound(err)) {
        try {
          await jsm.streams.add(config);
        } catch (addErr) {
          // Another replica created it between our info and add: that is fine.
          if (!(addErr instanceof JetStreamApiError && /already in use/i.test(addErr.message))) throw addErr;
        }
      } else {
        throw err;
      }
    }
  }
}

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
  /**
   * `true` (default): a standing `consume()` that keeps up to `concurrency` more messages
   * buffered in the process (fastest; right for short, idempotent handlers). `false`: pull only
   * as many messages as there are free handler slots, so no message waits unheartbeated in a
   * local buffer where its ack wait could run out and the server deliver it again. Executors use
   * it: a redelivered dispatch would run (and pay for) an agent step twice.
   */
  prefetch?: boolean;
  /**
   * Where a new consumer starts: `all` (default) from the first stored message, `new` from the
   * next one (a consumer added to a stream that already holds history, e.g. the notifier on
   * SC_EVENTS, must not replay a day of old events). Only used when the consumer is created.
   */
  startAt?: 'all' | 'new';
}

export async function ensureConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<void> {
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: spec.startAt === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    ack_wait: msToNanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    // Unlimited on the server: the bound (MESSAGE_MAX_DELIVERIES) is kept by JetStreamServer,
    // which stores the message as a dead letter and terminates it. A server-side max_deliver
    // would leave the message silently in the work queue, seen by nobody.
    max_deliver: -1,
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  };
  try {
    await jsm.consumers.info(spec.stream, spec.durable);
    await jsm.consumers.update(spec.stream, spec.durable, config);
  } catch (err) {
    if (isNotFound(err)) {
      await jsm.consumers.add(spec.stream, config);
    } else {
      throw err;
    }
  }
}
