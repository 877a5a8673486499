import type { RunView } from '@sandcastle/contracts';
import type { Logger } from '@sandcastle/observability';
import type { RunEventListener } from './run-event-hub.service';
import type { SseSink } from './sse-sink';
import type { StoredRunEvent } from './stored-run-event';

/**
 * One client's stream once its response is open. Events reach it from two places: the stored
 * events it catches up on (`deliver`, awaited one by one) and the shared live feed
 * (`onEvent`). It sends each stream sequence at most once and in increasing order: live
 * events wait in a backlog until the catch-up is over (`goLive`), and anything at or below the
 * last id sent is dropped. The run's `result` event is sent as the finished run, read when it
 * arrives, and ends the stream.
 */
export class RunStreamSession implements RunEventListener {
  private sink: SseSink | null = null;
  private lastSent: number;
  private backlog: StoredRunEvent[] | null = [];
  private chain: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly tenantId: string,
    readonly runId: string,
    cursor: number,
    /** The run as GET /runs/{id}; read when the run ends. */
    private readonly finishedRun: () => Promise<RunView>,
    private readonly logger: Logger,
  ) {
    this.lastSent = cursor;
  }

  /** Sequence of the last event sent (the cursor until the first one). */
  get position(): number {
    return this.lastSent;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Attaches the open response; nothing is written before. */
  start(sink: SseSink): void {
    this.sink = sink;
  }

  /** The first event: the run as it is, with the id of the last event it already reflects. */
  sendSnapshot(view: RunView): void {
    this.sink?.send(this.lastSent, 'status', view);
  }

  /** Delivers one stored event (catch-up), in order. */
  async deliver(stored: StoredRunEvent): Promise<void> {
    if (this.finished || stored.seq <= this.lastSent || !this.sink) return;
    const { event } = stored;
    if (event.tenantId !== this.tenantId || event.runId !== this.runId) {
      this.logger.warn('dropped an event of another run on this run subject', {
        runId: this.runId,
        seq: stored.seq,
      });
      return;
    }
    this.lastSent = stored.seq;
    switch (event.type) {
      case 'status':
      case 'step':
      case 'budget':
      case 'approval':
        this.sink.send(stored.seq, event.type, event.data);
        return;
      case 'result':
        await this.finish(stored.seq);
        return;
    }
  }

  /** Ends the stream with the finished run (when the run is over but no result event came). */
  async finish(id: number = this.lastSent): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      const run = await this.finishedRun();
      this.sink?.send(id, 'result', run);
    } catch (err) {
      // The client reconnects with the last id it got and is sent the result then.
      this.logger.error('could not read the finished run for its stream', { runId: this.runId, err });
    } finally {
      this.sink?.end();
    }
  }

  /** The catch-up is over: live events are sent from now on, starting with those that waited. */
  goLive(): void {
    const waiting = this.backlog ?? [];
    this.backlog = null;
    for (const stored of waiting) this.enqueue(stored);
  }

  onEvent(stored: StoredRunEvent): void {
    if (this.backlog) this.backlog.push(stored);
    else this.enqueue(stored);
  }

  onEnd(): void {
    this.finished = true;
    this.sink?.end();
  }

  /** Resolves once every live event handed over so far is written. */
  async settled(): Promise<void> {
    await this.chain;
  }

  private enqueue(stored: StoredRunEvent): void {
    this.chain = this.chain.then(() =>
      this.deliver(stored).catch((err: unknown) => {
        this.logger.error('could not send a run event', { runId: this.runId, seq: stored.seq, err });
        this.onEnd();
      }),
    );
  }
}
