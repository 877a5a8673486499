import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, defaultIfEmpty } from 'rxjs';
import {
  jetstreamManager,
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { InvalidMessageError } from '@sandcastle/contracts';
import {
  newTraceContext,
  parseTraceparent,
  startSpan,
  TRACEPARENT_HEADER,
  withLogContext,
  type LogContext,
  type Logger,
} from '@sandcastle/observability';
import { JetStreamContext } from './jetstream.context';
import { isHandlerOutcome, redeliveryDelayMs, type HandlerOutcome } from './handler-outcome';
import { ensureConsumer, type DurableConsumerSpec } from './topology';
import type { MessagingMetrics } from './messaging.metrics';
import { deadLetterOf, type DeadLetterPublisher } from './dead-letters';

/**
 * Default bound on deliveries of one message. With the handler-error backoff (0.5 s doubling to
 * 30 s) 20 deliveries span about 7 minutes (0.5+1+2+4+8+16 s, then 13 × 30 s = 421.5 s), so a
 * dependency outage of a minute (a PostgreSQL restart) uses 8 of them.
 */
export const DEFAULT_MAX_DELIVERIES = 20;

export interface ConsumerBinding extends DurableConsumerSpec {
  /** Maps a concrete subject to the pattern handlers are registered under (`@MessagePattern`). */
  patternOf(subject: string): string;
}

export interface JetStreamServerOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  bindings: ConsumerBinding[];
  logger: Logger;
  metrics: MessagingMetrics;
  /** How long `close()` waits for in-flight handlers before aborting them. */
  drainTimeoutMs?: number;
  /** Deliveries of one message before it becomes a dead letter (MESSAGE_MAX_DELIVERIES). */
  maxDeliveries?: number;
  /** Where dead letters go; the service name is recorded with each. */
  deadLetters: DeadLetterPublisher;
  service: string;
}

/**
 * A NestJS microservice transport for JetStream durable pull consumers.
 *
 * Delivery semantics, in one place:
 * - at-least-once: a message is acked only after its handler returned (handlers commit first);
 * - a handler returns a `HandlerOutcome` (or nothing = ack); a thrown `InvalidMessageError`
 *   terminates the message (it can never succeed); any other throw is redelivered with backoff;
 * - deliveries are bounded: a message that still asks for a retry at its `maxDeliveries`-th
 *   delivery, or arrives beyond it (earlier deliveries crashed or timed out), is stored as a dead
 *   letter (`<NS>_DEAD_LETTERS`) and terminated; a retry asked for while shutting down (a
 *   hand-back) is never dead-lettered;
 * - while a handler runs, the message's ack deadline is extended with `working()` so long work
 *   (an agent step) is not redelivered to another replica;
 * - on shutdown it stops pulling, hands buffered messages back at once, waits for in-flight
 *   handlers, then aborts the stragglers through `JetStreamContext.shutdownSignal`.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  private readonly subscriptions: ConsumerMessages[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private closing = false;
  private stopBacklog: (() => void) | undefined;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.start().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  private async start(): Promise<void> {
    const jsm = await jetstreamManager(this.options.nc);
    const watched: { binding: ConsumerBinding; consumer: Consumer }[] = [];
    this.stopBacklog = this.options.metrics.watchBacklog(() =>
      Promise.all(
        watched.map(async ({ binding, consumer }) => {
          const info = await consumer.info();
          return {
            stream: binding.stream,
            consumer: binding.durable,
            pending: info.num_pending,
            ackPending: info.num_ack_pending,
          };
        }),
      ),
    );
    for (const binding of this.options.bindings) {
      await ensureConsumer(jsm, binding);
      const consumer = await this.options.js.consumers.get(binding.stream, binding.durable);
      watched.push({ binding, consumer });
      if (binding.prefetch === false) {
        void this.pullForFreeSlots(binding, consumer);
      } else {
        const messages = await consumer.consume({ max_messages: binding.concurrency });
        this.subscriptions.push(messages);
        void this.pump(binding, messages);
      }
      this.options.logger.info('consuming', {
        stream: binding.stream,
        consumer: binding.durable,
        prefetch: binding.prefetch !== false,
      });
    }
  }

  /** Pulls messages one by one, never holding more than `concurrency` handlers at once. */
  private async pump(binding: ConsumerBinding, messages: ConsumerMessages): Promise<void> {
    const running = new Set<Promise<void>>();
    for await (const msg of messages) {
      this.dispatch(binding, msg, running);
      if (running.size >= binding.concurrency) {
        await Promise.race(running);
      }
    }
  }

  /** Hands a received message to its handler (tracked in `running` and for the drain), or back while closing. */
  private dispatch(binding: ConsumerBinding, msg: JsMsg, running: Set<Promise<void>>): void {
    if (this.closing) {
      msg.nak();
      return;
    }
    const task = this.handle(binding, msg).finally(() => {
      running.delete(task);
      this.inFlight.delete(task);
    });
    running.add(task);
    this.inFlight.add(task);
  }

  /**
   * Pulls exactly as many messages as there are free handler slots (`prefetch: false`): every
   * message this process holds is being handled, so it is heartbeated from the moment it arrives.
   * A fetch yields messages as they come; a new one is requested when it ends (batch filled or
   * expired) and a slot is free.
   */
  private async pullForFreeSlots(binding: ConsumerBinding, consumer: Consumer): Promise<void> {
    const running = new Set<Promise<void>>();
    while (!this.closing) {
      if (running.size >= binding.concurrency) {
        await Promise.race(running);
        continue;
      }
      let batch: ConsumerMessages;
      try {
        batch = await consumer.fetch({ max_messages: binding.concurrency - running.size, expires: 5_000 });
      } catch (err) {
        if (this.closing) break;
        this.options.logger.warn('pull failed; retrying', { stream: binding.stream, err });
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      this.subscriptions.push(batch);
      try {
        for await (const msg of batch) this.dispatch(binding, msg, running);
      } catch (err) {
        // Missed heartbeats (broker restart) end a fetch with an error; the next one reconnects.
        if (!this.closing) this.options.logger.warn('pull ended early', { stream: binding.stream, err });
      } finally {
        this.subscriptions.splice(this.subscriptions.indexOf(batch), 1);
      }
    }
  }

  private get maxDeliveries(): number {
    return this.options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  }

  /**
   * Handles one message inside its log context: the trace of its `traceparent` header (a new one
   * when it has none), and the run and step its payload names, so every line logged while
   * handling it — and every message published meanwhile — belongs to the run's trace.
   */
  private async handle(binding: ConsumerBinding, msg: JsMsg): Promise<void> {
    const received = parseTraceparent(msg.headers?.get(TRACEPARENT_HEADER));
    const pattern = binding.patternOf(msg.subject);
    const span = startSpan(`${pattern} process`, 5, received ?? newTraceContext(), {
      root: received === null,
      attributes: {
        'messaging.system': 'nats',
        'messaging.destination.name': pattern,
        'messaging.consumer.group.name': binding.durable,
      },
    });
    let failed = false;
    try {
      await withLogContext({ trace: span.context, ...messageIds(msg) }, () =>
        this.handleInContext(binding, msg),
      );
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      span.end(failed, { 'messaging.delivery_count': msg.info.deliveryCount });
    }
  }

  private async handleInContext(binding: ConsumerBinding, msg: JsMsg): Promise<void> {
    const { logger, metrics } = this.options;
    const pattern = binding.patternOf(msg.subject);
    const started = Date.now();
    metrics.lag.observe(
      { subject: pattern },
      Math.max(0, started - msg.info.timestampNanos / 1_000_000) / 1000,
    );
    if (msg.info.deliveryCount > this.maxDeliveries) {
      // The earlier deliveries never settled: the handler crashed the process or outlived its
      // ack wait every time. Running it again would do the same.
      await this.deadLetter(
        binding,
        pattern,
        msg,
        `delivered ${msg.info.deliveryCount} times without settling (crash or ack timeout)`,
      );
      return;
    }
    // Four heartbeats per ack-wait period: a missed one or two (a GC pause, a busy loop) never
    // lets the server hand a live handler's message to another replica.
    const heartbeat = setInterval(() => msg.working(), Math.max(200, Math.floor(binding.ackWaitMs / 4)));
    let outcome: HandlerOutcome;
    let lastError: string | undefined;
    try {
      outcome = await this.invoke(pattern, msg);
    } catch (err) {
      if (err instanceof InvalidMessageError) {
        outcome = { kind: 'terminate', reason: err.message };
      } else {
        lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        const delayMs = redeliveryDelayMs(msg.info.deliveryCount);
        logger.error('handler failed; message will be redelivered', {
          subject: msg.subject,
          deliveryCount: msg.info.deliveryCount,
          retryInMs: delayMs,
          err,
        });
        metrics.handled.inc({ subject: pattern, outcome: 'error' });
        outcome = { kind: 'retry', delayMs, reason: 'handler error' };
      }
    } finally {
      clearInterval(heartbeat);
    }
    if (outcome.kind === 'retry' && !this.closing && msg.info.deliveryCount >= this.maxDeliveries) {
      await this.deadLetter(binding, pattern, msg, lastError ?? outcome.reason);
      metrics.handleDuration.observe({ subject: pattern }, (Date.now() - started) / 1000);
      return;
    }
    this.settle(msg, outcome);
    metrics.handled.inc({ subject: pattern, outcome: outcome.kind });
    metrics.handleDuration.observe({ subject: pattern }, (Date.now() - started) / 1000);
  }

  /**
   * Handlers by pattern. Nest's lookup JSON-parses the pattern on every call; handlers are all
   * registered before the consumers start, so the answer never changes afterwards.
   */
  private readonly handlers = new Map<string, ReturnType<Server['getHandlerByPattern']>>();

  private handlerFor(pattern: string): ReturnType<Server['getHandlerByPattern']> {
    let handler = this.handlers.get(pattern);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(pattern);
      this.handlers.set(pattern, handler);
    }
    return handler;
  }

  private async invoke(pattern: string, msg: JsMsg): Promise<HandlerOutcome> {
    const handler = this.handlerFor(pattern);
    if (!handler) {
      return { kind: 'terminate', reason: `no handler for ${pattern}` };
    }
    let payload: unknown;
    try {
      payload = msg.json<unknown>();
    } catch {
      throw new InvalidMessageError(pattern, ['payload is not valid JSON']);
    }
    const context = new JetStreamContext([msg, this.shutdown.signal]);
    const result: unknown = await lastValueFrom(
      this.transformToObservable(await handler(payload, context)).pipe(defaultIfEmpty(undefined)),
    );
    return isHandlerOutcome(result) ? result : { kind: 'ack' };
  }

  /**
   * Stores the message as a dead letter, then terminates it. If the store fails (broker trouble)
   * the message is redelivered later and the next delivery tries again: nothing is lost.
   */
  private async deadLetter(
    binding: ConsumerBinding,
    pattern: string,
    msg: JsMsg,
    lastError: string,
  ): Promise<void> {
    const { logger, metrics } = this.options;
    const letter = deadLetterOf(msg, { service: this.options.service, consumer: binding.durable }, lastError);
    try {
      await this.options.deadLetters.publish(letter);
    } catch (err) {
      logger.error('could not store a dead letter; the message will be redelivered', {
        subject: msg.subject,
        deliveryCount: msg.info.deliveryCount,
        err,
      });
      this.settle(msg, {
        kind: 'retry',
        delayMs: redeliveryDelayMs(msg.info.deliveryCount),
        reason: 'dead letter store failed',
      });
      metrics.handled.inc({ subject: pattern, outcome: 'retry' });
      return;
    }
    logger.error('message dead-lettered after its bounded deliveries', {
      subject: msg.subject,
      stream: letter.stream,
      streamSequence: letter.streamSequence,
      msgId: letter.msgId,
      deliveryCount: letter.deliveryCount,
      lastError: letter.lastError,
    });
    metrics.deadLettered.inc({ subject: pattern });
    metrics.handled.inc({ subject: pattern, outcome: 'dead_letter' });
    // No reason on the wire: NATS 2.9 does not understand `+TERM <reason>` and redelivers.
    msg.term();
  }

  /** With `deadLetter` (which terminates after storing), the only place that acks, naks or terminates. */
  private settle(msg: JsMsg, outcome: HandlerOutcome): void {
    switch (outcome.kind) {
      case 'ack':
        msg.ack();
        return;
      case 'retry':
        msg.nak(outcome.delayMs);
        return;
      case 'terminate':
        this.options.logger.warn('message terminated', { subject: msg.subject, reason: outcome.reason });
        // No reason on the wire: NATS 2.9 does not understand `+TERM <reason>` and redelivers.
        msg.term();
        return;
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.stopBacklog?.();
    await Promise.all(this.subscriptions.map((s) => s.close()));
    const drained = Promise.all([...this.inFlight]).then(() => true);
    const timeout = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(false), this.options.drainTimeoutMs ?? 10_000).unref(),
    );
    if (!(await Promise.race([drained, timeout]))) {
      this.options.logger.warn('drain timeout: aborting in-flight handlers', {
        inFlight: this.inFlight.size,
      });
      this.shutdown.abort(new Error('shutting down'));
      await Promise.race([drained, new Promise((r) => setTimeout(r, 5_000).unref())]);
    }
  }

  on(): never {
    throw new Error('JetStreamServer does not support event listeners');
  }

  unwrap<T>(): T {
    return this.options.nc as T;
  }
}

/** The run and step a received message is about (`runId` / `stepId` of its payload), for its log context. */
function messageIds(msg: JsMsg): Pick<LogContext, 'runId' | 'stepId'> {
  let runId: string | null = null;
  let stepId: string | null = null;
  try {
    const payload = msg.json<Record<string, unknown>>();
    if (typeof payload?.['runId'] === 'string') runId = payload['runId'].slice(0, 100);
    if (typeof payload?.['stepId'] === 'string') stepId = payload['stepId'].slice(0, 200);
  } catch {
    // Not JSON: the handler refuses it; the context has the trace only.
  }
  return { runId, stepId };
}
