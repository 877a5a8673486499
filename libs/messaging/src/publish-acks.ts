import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/nats-core';

/** JetStream's answer to a stored publish. */
export interface StoredMessage {
  stream: string;
  seq: number;
  /** The stream already held a message with this id (within its duplicate window) and kept that one. */
  duplicate: boolean;
}

/** JetStream refused a publish (no stream for the subject, a limit, a wrong expectation…). */
export class PublishRefusedError extends Error {
  constructor(
    readonly subject: string,
    readonly code: number | null,
    description: string,
  ) {
    super(`JetStream refused the message on ${subject}: ${description}`);
    this.name = 'PublishRefusedError';
  }
}

/** No acknowledgement arrived in time: the message may or may not be stored (publish it again). */
export class PublishAckTimeoutError extends Error {
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`no acknowledgement from JetStream for a message on ${subject} within ${timeoutMs} ms`);
    this.name = 'PublishAckTimeoutError';
  }
}

interface Waiter {
  subject: string;
  deadline: number;
  timeoutMs: number;
  resolve(ack: StoredMessage): void;
  reject(err: Error): void;
}

const decoder = new TextDecoder();

/** How often waiters past their deadline are failed (a deadline is honoured within this). */
const SWEEP_INTERVAL_MS = 100;

/**
 * Publishes to JetStream and waits for the stream's acknowledgement, all acknowledgements of a
 * connection arriving on one inbox subscription. The same exchange as `js.publish()`, which makes
 * each publish a core request: a random token, a timer, and an Error with a captured stack trace
 * built for every request even when it succeeds. On the engine's hot path (several publishes per
 * step) that was a measurable share of each service's CPU (docs/architecture.md, "Where the time
 * of a step goes"); here a publish costs a map entry and a counter.
 */
export class PublishAcks {
  private readonly inbox = createInbox();
  private readonly waiting = new Map<string, Waiter>();
  private next = 0;
  private subscription: Subscription | null = null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly nc: NatsConnection) {}

  publish(subject: string, data: Uint8Array, headers: MsgHdrs, timeoutMs: number): Promise<StoredMessage> {
    const token = (this.next++).toString(36);
    return new Promise<StoredMessage>((resolve, reject) => {
      this.waiting.set(token, { subject, deadline: Date.now() + timeoutMs, timeoutMs, resolve, reject });
      try {
        this.listen();
        this.nc.publish(subject, data, { reply: `${this.inbox}.${token}`, headers });
      } catch (err) {
        // A closed or draining connection refuses at once: nothing was sent.
        this.waiting.delete(token);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Acknowledgements still awaited (tests, shutdown). */
  get pending(): number {
    return this.waiting.size;
  }

  private listen(): void {
    if (this.subscription && !this.subscription.isClosed()) return;
    this.subscription = this.nc.subscribe(`${this.inbox}.*`, {
      callback: (err, msg) => {
        if (!err) this.settle(msg);
      },
    });
    this.sweeper ??= setInterval(() => this.failOverdue(), SWEEP_INTERVAL_MS);
    // Waiting for acknowledgements never keeps a process alive by itself.
    this.sweeper.unref();
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const waiter = this.waiting.get(token);
    if (!waiter) return; // answered after its deadline: the caller already retried
    this.waiting.delete(token);
    // 503 with no body: nothing listens on the subject, i.e. no stream captures it.
    if (msg.headers?.code === 503 || msg.data.length === 0) {
      waiter.reject(new PublishRefusedError(waiter.subject, 503, 'no stream captures this subject'));
      return;
    }
    let answer: {
      stream?: string;
      seq?: number;
      duplicate?: boolean;
      error?: { code?: number; description?: string };
    };
    try {
      answer = JSON.parse(decoder.decode(msg.data)) as typeof answer;
    } catch {
      waiter.reject(new PublishRefusedError(waiter.subject, null, 'unreadable acknowledgement'));
      return;
    }
    if (answer.error || typeof answer.stream !== 'string' || typeof answer.seq !== 'number') {
      const error = answer.error;
      waiter.reject(
        new PublishRefusedError(
          waiter.subject,
          error?.code ?? null,
          error?.description ?? 'invalid acknowledgement',
        ),
      );
      return;
    }
    waiter.resolve({ stream: answer.stream, seq: answer.seq, duplicate: answer.duplicate === true });
  }

  private failOverdue(): void {
    if (this.waiting.size === 0) return;
    const now = Date.now();
    for (const [token, waiter] of this.waiting) {
      if (waiter.deadline > now) continue;
      this.waiting.delete(token);
      waiter.reject(new PublishAckTimeoutError(waiter.subject, waiter.timeoutMs));
    }
  }
}
