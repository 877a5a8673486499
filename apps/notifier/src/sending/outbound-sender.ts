import { guardedRequest, isOutboundError } from '@sandcastle/outbound';

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What one attempt came back with: an HTTP answer, or an error that says why there was none. */
export type SendResult =
  { kind: 'answered'; status: number; retryAfter: string | undefined } | { kind: 'error'; error: string };

/**
 * POSTs a delivery through the one outbound guard of libs/outbound: the URL's host is resolved
 * and every address checked (loopback, private, link-local and metadata refused unless
 * WEBHOOK_ALLOW_PRIVATE), the socket connects to the checked address, redirects are not
 * followed (a 3xx is a failed attempt), the whole exchange is timed out and the answer's body
 * is bounded (and ignored).
 */
export class OutboundSender {
  constructor(private readonly allowPrivate: boolean) {}

  async send(request: SendRequest): Promise<SendResult> {
    try {
      const response = await guardedRequest(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        timeoutMs: request.timeoutMs,
        maxResponseBytes: 16 * 1024,
        allowPrivate: this.allowPrivate,
        signal: request.signal,
      });
      return {
        kind: 'answered',
        status: response.status,
        retryAfter: headerValue(response.headers, 'retry-after'),
      };
    } catch (err) {
      // OutboundError messages never carry the URL, an address or a body: safe to store and show.
      if (isOutboundError(err)) return { kind: 'error', error: `${err.code}: ${err.message}` };
      return { kind: 'error', error: 'request failed' };
    }
  }
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
