import type { Logger } from './logger';
import { OtlpExporter, type FinishedSpan } from './otlp-exporter';
import { childSpan, type TraceContext } from './trace-context';

/**
 * The process's span exporter: none (the default), or OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set. Spans are recorded only when exporting; the trace context itself (traceparent headers,
 * `trace_id` in logs) works either way.
 */
let exporter: OtlpExporter | null = null;

export function configureTracing(options: {
  service: string;
  endpoint: string | undefined;
  logger: Logger;
}): void {
  void exporter?.shutdown();
  exporter = options.endpoint
    ? new OtlpExporter({ endpoint: options.endpoint, service: options.service, logger: options.logger })
    : null;
  if (exporter) options.logger.info('exporting spans over OTLP/HTTP', { endpoint: options.endpoint });
}

export function tracingEnabled(): boolean {
  return exporter !== null;
}

/** Sends what is buffered (at shutdown). */
export async function flushTracing(): Promise<void> {
  await exporter?.shutdown();
}

/** A span in progress: its context is what the work runs under; `end` records it. */
export interface ActiveSpan {
  context: TraceContext;
  /** Records the span; `name` replaces the start name when only the end knows it (a route). */
  end(error?: boolean, attributes?: FinishedSpan['attributes'], name?: string): void;
}

/**
 * Starts a span under `parent` (a new span id of the same trace; `parent` itself when it is the
 * root just created, see `root`). Cheap when not exporting: `end` then does nothing.
 */
export function startSpan(
  name: string,
  kind: FinishedSpan['kind'],
  parent: TraceContext,
  options: { root?: boolean; attributes?: FinishedSpan['attributes'] } = {},
): ActiveSpan {
  const context = options.root ? parent : childSpan(parent);
  const started = Date.now();
  return {
    context,
    end(error = false, attributes = {}, finalName = name) {
      exporter?.export({
        traceId: context.traceId,
        spanId: context.spanId,
        parentSpanId: options.root ? undefined : parent.spanId,
        name: finalName,
        kind,
        startTimeMs: started,
        endTimeMs: Date.now(),
        attributes: { ...options.attributes, ...attributes },
        error,
      });
    },
  };
}
