import type { Logger } from './logger';

/** One finished span, as Sandcastle records them (a request, a handled message, a schedule firing). */
export interface FinishedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 2 server (a request), 3 client, 4 producer, 5 consumer (a message), 1 internal. */
  kind: 1 | 2 | 3 | 4 | 5;
  startTimeMs: number;
  endTimeMs: number;
  attributes?: Record<string, string | number | boolean>;
  error?: boolean;
}

export interface OtlpExporterOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  service: string;
  logger: Logger;
  /** How often buffered spans are sent (default 2 s). */
  intervalMs?: number;
  /** Spans kept while the collector is slow or away; newer ones are dropped beyond it (default 2048). */
  maxQueue?: number;
  /** Per request (default 5 s). */
  timeoutMs?: number;
}

const MAX_BATCH = 512;

function attribute(key: string, value: string | number | boolean): Record<string, unknown> {
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number')
    return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/**
 * A small OpenTelemetry exporter: OTLP over HTTP with the JSON encoding
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp), batched, bounded, and never in the way —
 * a collector that is down or slow costs dropped spans and one warning, not memory or latency.
 */
export class OtlpExporter {
  private queue: FinishedSpan[] = [];
  private dropped = 0;
  private warned = false;
  private sending: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly url: string;

  constructor(private readonly options: OtlpExporterOptions) {
    this.url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 2_000);
    this.timer.unref();
  }

  export(span: FinishedSpan): void {
    if (this.queue.length >= (this.options.maxQueue ?? 2048)) {
      this.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= MAX_BATCH) void this.flush();
  }

  /** Sends what is buffered (one request per batch of 512, one at a time). */
  flush(): Promise<void> {
    this.sending = this.sending.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.send(batch);
      }
    });
    return this.sending;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Spans dropped because the queue was full or the collector refused them. */
  get droppedSpans(): number {
    return this.dropped;
  }

  private async send(batch: FinishedSpan[]): Promise<void> {
    const body = JSON.stringify(this.payload(batch));
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.warned = false;
    } catch (err) {
      this.dropped += batch.length;
      // Once per outage, not per batch.
      if (!this.warned) {
        this.warned = true;
        this.options.logger.warn('OTLP export failed; spans are dropped until the collector answers', {
          endpoint: this.url,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  private payload(batch: FinishedSpan[]): unknown {
    return {
      resourceSpans: [
        {
          resource: { attributes: [attribute('service.name', `sandcastle-${this.options.service}`)] },
          scopeSpans: [
            {
              scope: { name: 'sandcastle' },
              spans: batch.map((span) => ({
                traceId: span.traceId,
                spanId: span.spanId,
                ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
                name: span.name,
                kind: span.kind,
                startTimeUnixNano: nanos(span.startTimeMs),
                endTimeUnixNano: nanos(Math.max(span.startTimeMs, span.endTimeMs)),
                attributes: Object.entries(span.attributes ?? {}).map(([k, v]) => attribute(k, v)),
                status: { code: span.error ? 2 : 1 },
              })),
            },
          ],
        },
      ],
    };
  }
}
