import { abortError, RuntimeStreamTooLargeError } from '../agent-runtime';
import { readBounded } from '../bounded-body.util';
import { IdleWatch } from '../idle-watch.util';
import { describeConnectError } from '../sandstorm-http.util';
import { SseParser, type SseEvent } from '../sse-parser';
import {
  isOverloadStatus,
  isRetryableStatus,
  ProviderCallError,
  providerErrorType,
  retryAfterMs,
} from './provider-call-error';

/** Limits of one provider stream (MAX_RUNTIME_* and MODEL_API_IDLE_TIMEOUT_MS). */
export interface StreamLimits {
  idleTimeoutMs: number;
  maxEventBytes: number;
  maxStreamBytes: number;
  maxErrorBodyBytes: number;
}

export interface ProviderRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** How errors name the target: `model 'sonnet' (endpoint 'anthropic')`, never a URL or key. */
  label: string;
}

/** What a wire format does with each event: keep reading, or the answer is complete. */
export type EventVerdict = 'more' | 'done';

/** Abort reason used internally when the stream goes silent; never escapes `streamProvider`. */
class IdleTimeout extends Error {}

/**
 * POSTs a streaming request to a provider and feeds each SSE event to `onEvent` until it says
 * `done`. Every way out closes the connection (a provider stops generating, and billing, when the
 * client goes away). Transport problems — refused, reset, silent for the idle timeout, an HTTP
 * 429/5xx — are ProviderCallError with `retryable` set; an HTTP 4xx is not retryable. Redirects are
 * not followed: the key travels in a header. Returns false when the stream ended before `done`.
 */
export async function streamProvider(
  req: ProviderRequest,
  limits: StreamLimits,
  signal: AbortSignal,
  onEvent: (event: SseEvent) => EventVerdict,
  onPing: () => void,
): Promise<boolean> {
  if (signal.aborted) throw abortError(signal);
  const connection = new AbortController();
  const idle = new IdleWatch(limits.idleTimeoutMs, () => connection.abort(new IdleTimeout()));
  const onAbort = () => connection.abort(abortError(signal));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await exchange(req, limits, connection.signal, idle, onEvent, onPing);
  } catch (err) {
    if (signal.aborted) throw abortError(signal);
    if (connection.signal.reason instanceof IdleTimeout) {
      const seconds = Math.round(limits.idleTimeoutMs / 100) / 10;
      throw new ProviderCallError(`${req.label} sent nothing for ${seconds} s; gave up`, true);
    }
    throw err;
  } finally {
    idle.stop();
    signal.removeEventListener('abort', onAbort);
    connection.abort();
  }
}

async function exchange(
  req: ProviderRequest,
  limits: StreamLimits,
  signal: AbortSignal,
  idle: IdleWatch,
  onEvent: (event: SseEvent) => EventVerdict,
  onPing: () => void,
): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...req.headers },
      body: JSON.stringify(req.body),
      signal,
      redirect: 'manual',
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ProviderCallError(`cannot reach ${req.label}: ${describeConnectError(err)}`, true);
  }
  idle.touch();
  if (!response.ok) throw await httpError(req.label, response, limits.maxErrorBodyBytes);
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream') || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new ProviderCallError(`${req.label} did not answer with an event stream`, false);
  }
  const parser = new SseParser(limits.maxEventBytes);
  let streamBytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const chunk = await reader.read().then(
      (read) => read,
      (error: unknown) => ({ error }),
    );
    if ('error' in chunk) {
      if (signal.aborted) throw chunk.error;
      throw new ProviderCallError(
        `connection to ${req.label} broke before the answer was complete: ${describeConnectError(chunk.error)}`,
        true,
      );
    }
    if (chunk.done) break;
    const bytes = chunk.value as Uint8Array;
    streamBytes += bytes.byteLength;
    if (streamBytes > limits.maxStreamBytes) {
      throw new RuntimeStreamTooLargeError(
        `${req.label}'s response stream passed ${limits.maxStreamBytes} bytes (MAX_RUNTIME_STREAM_BYTES)`,
      );
    }
    idle.touch();
    for (const message of parser.push(bytes)) {
      if (message.kind === 'comment') {
        onPing();
        continue;
      }
      if (onEvent(message) === 'done') return true;
    }
  }
  parser.end();
  return false;
}

async function httpError(label: string, response: Response, maxBytes: number): Promise<ProviderCallError> {
  const text = await readBounded(response, maxBytes);
  let type: string | null = null;
  try {
    type = providerErrorType(JSON.parse(text));
  } catch {
    // Not JSON (an HTML error page, a cut body): the status says enough.
  }
  const overloadedType = type !== null && /overload|rate_limit/i.test(type);
  const status = response.status;
  const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  return new ProviderCallError(
    `${label} answered HTTP ${status}${type !== null ? ` (${type})` : ''}${redirect}`,
    isRetryableStatus(status) || overloadedType,
    retryAfterMs(response.headers),
    isOverloadStatus(status) || overloadedType,
  );
}

/** JSON of an SSE event's data, or undefined when it is not JSON. */
export function eventJson(event: SseEvent): unknown {
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    return undefined;
  }
}
