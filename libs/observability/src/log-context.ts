import { AsyncLocalStorage } from 'node:async_hooks';
import { formatTraceparent, parseTraceparent, type TraceContext } from './trace-context';

/**
 * What the work running now belongs to: its trace (one per run), and the run and step when
 * known. Carried through every await by AsyncLocalStorage, so every log line written while
 * handling a request or a message says which run it was about, without passing it around.
 */
export interface LogContext {
  trace?: TraceContext;
  runId?: string | null;
  stepId?: string | null;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` merged over the current one (the new fields win). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

/**
 * The `traceparent` to put on something this process sends now: the current span (the request
 * or message being handled) as the parent of whatever the receiver does, or undefined outside
 * any trace.
 */
export function outgoingTraceparent(): string | undefined {
  const trace = storage.getStore()?.trace;
  return trace ? formatTraceparent(trace) : undefined;
}

/** The context of a stored or received `traceparent` (undefined when it is missing or invalid). */
export function traceOf(traceparent: unknown): TraceContext | undefined {
  return parseTraceparent(traceparent) ?? undefined;
}

/** The fields every log line written in `context` carries: `trace_id`, `span_id`, `run_id`, `step_id`. */
export function logContextFields(context: LogContext | undefined): Record<string, unknown> {
  if (!context) return {};
  return {
    trace_id: context.trace?.traceId ?? null,
    span_id: context.trace?.spanId ?? null,
    run_id: context.runId ?? null,
    step_id: context.stepId ?? null,
  };
}
