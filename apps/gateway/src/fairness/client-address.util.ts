import type { Request } from 'express';

/**
 * The client's address. `req.ip` follows Express' `trust proxy` setting (TRUST_PROXY): off by
 * default, it is the socket's peer and X-Forwarded-For is ignored (a client could write any
 * address there); with trusted proxies it is the address the nearest untrusted hop reported.
 */
export function clientAddressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
