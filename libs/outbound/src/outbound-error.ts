/**
 * The one error type of the outbound guard. `code` is stable and safe to show to a tenant; the
 * message is a fixed text (plus at most a system error code such as `ECONNREFUSED`): it never
 * carries the URL, a header value, a resolved address or a response body, so it can go into a
 * run, an event or a log line as it is.
 */
export type OutboundErrorCode = 'UNSAFE_URL' | 'DNS_FAILED' | 'TIMEOUT' | 'CONNECTION_FAILED' | 'ABORTED';

export class OutboundError extends Error {
  override readonly name = 'OutboundError';

  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isOutboundError(error: unknown): error is OutboundError {
  return error instanceof OutboundError;
}
