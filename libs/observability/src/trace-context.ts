import { randomFillSync } from 'node:crypto';

/**
 * A W3C Trace Context position (https://www.w3.org/TR/trace-context/): the trace a piece of work
 * belongs to, the span that sent it, and the sampled flag. Sandcastle makes one trace per run.
 */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: the span of the sender. */
  spanId: string;
  /** 2 hex digits; `01` = sampled. */
  flags: string;
}

export const TRACEPARENT_HEADER = 'traceparent';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Parses a `traceparent` value; null for anything invalid (then a new trace starts). Version
 * `ff` is forbidden; version 00 must have exactly four parts; a later version may append parts
 * (the spec: parse the first four, ignore the rest).
 */
export function parseTraceparent(value: unknown): TraceContext | null {
  if (typeof value !== 'string' || value.length > 512) return null;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, flags };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/**
 * Random bytes for ids, drawn from a pool filled 4 KiB at a time: every message a service sends
 * gets a span id, and asking the kernel for 8 bytes each time cost the orchestrator about 3 % of
 * its CPU (randomUUID pools the same way).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = randomHex(bytes);
    if (!/^0+$/.test(hex)) return hex;
  }
}

/** A new trace (sampled), for work that has no parent: a request without a traceparent, a schedule firing. */
export function newTraceContext(): TraceContext {
  return { traceId: nonZeroHex(16), spanId: nonZeroHex(8), flags: '01' };
}

/** The same trace, a new span: what this process sends on (a message, a stored outbox row). */
export function childSpan(parent: TraceContext): TraceContext {
  return { traceId: parent.traceId, spanId: nonZeroHex(8), flags: parent.flags };
}
