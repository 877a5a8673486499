import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { OutboundError } from './outbound-error';
import { type HostResolver, type SafeAddress, resolveSafeAddress } from './resolve-safe-address.util';

export interface GuardedRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange: DNS, connect, request, response headers and body. */
  timeoutMs: number;
  /** The response body is cut at this many bytes (and the connection closed). */
  maxResponseBytes: number;
  /** Local development and tests only (`WEBHOOK_ALLOW_PRIVATE=true`). */
  allowPrivate: boolean;
  signal?: AbortSignal;
  /** Tests only: play a DNS server. Defaults to the system resolver. */
  resolver?: HostResolver;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
}

/**
 * The one way to call a URL that a tenant supplied.
 *
 * - The URL and every address its host resolves to are checked (`resolveSafeAddress`), and the
 *   socket connects to exactly the checked address: the request's `lookup` answers with it, so
 *   there is no second resolution an attacker's DNS could answer differently (rebinding). TLS
 *   still verifies the certificate against the host name.
 * - Redirects are not followed: a 3xx is returned as it is (its `Location` may point anywhere).
 * - The timeout covers the whole exchange; on timeout or abort the socket is destroyed.
 * - The response body is bounded; past `maxResponseBytes` it is cut and the connection closed.
 * - Failures throw `OutboundError` with a stable code and a fixed message: no URL, header value
 *   or response body is ever part of it.
 */
export function guardedRequest(url: string | URL, opts: GuardedRequestOptions): Promise<GuardedResponse> {
  return new Promise<GuardedResponse>((resolve, reject) => {
    let settled = false;
    let request: http.ClientRequest | undefined;

    const finish = (error: OutboundError | null, response?: GuardedResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (error !== null) {
        request?.destroy();
        reject(error);
      } else if (response !== undefined) {
        resolve(response);
      }
    };
    const onAbort = (): void => finish(new OutboundError('ABORTED', 'the request was aborted'));
    const timer = setTimeout(
      () => finish(new OutboundError('TIMEOUT', `no complete answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    if (opts.signal?.aborted === true) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    resolveSafeAddress(url, { allowPrivate: opts.allowPrivate, resolver: opts.resolver }).then(
      (safe) => {
        if (settled) return;
        try {
          request = send(safe, opts, finish);
        } catch {
          // Node refuses invalid header names/values synchronously; its message may quote them.
          finish(new OutboundError('CONNECTION_FAILED', 'the request could not be sent'));
        }
      },
      (error: unknown) =>
        finish(
          error instanceof OutboundError
            ? error
            : new OutboundError('DNS_FAILED', 'the host name could not be resolved'),
        ),
    );
  });
}

function send(
  safe: SafeAddress,
  opts: GuardedRequestOptions,
  finish: (error: OutboundError | null, response?: GuardedResponse) => void,
): http.ClientRequest {
  const { url, address, family } = safe;
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    // Node asks with `all: true` when it races address families (autoSelectFamily).
    if (options.all === true) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    } else {
      callback(null, address, family);
    }
  };
  const transport = url.protocol === 'https:' ? https : http;
  const request = transport.request({
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method: opts.method ?? 'GET',
    headers: opts.headers,
    agent: false,
    lookup: pinnedLookup,
  });
  request.on('error', (error: NodeJS.ErrnoException) => {
    const code = typeof error.code === 'string' && /^[A-Z_]+$/.test(error.code) ? ` (${error.code})` : '';
    finish(new OutboundError('CONNECTION_FAILED', `the connection failed${code}`));
  });
  request.on('response', (response) => readBounded(response, opts.maxResponseBytes, finish));
  request.end(opts.body);
  return request;
}

function readBounded(
  response: IncomingMessage,
  maxBytes: number,
  finish: (error: OutboundError | null, response?: GuardedResponse) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const done = (): void =>
    finish(null, {
      status: response.statusCode ?? 0,
      headers: response.headers,
      body: Buffer.concat(chunks, size),
      truncated,
    });
  response.on('data', (chunk: Buffer) => {
    if (truncated) return;
    const room = maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      size += room;
      truncated = true;
      done();
      response.destroy();
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
  });
  response.on('end', done);
  response.on('error', () => finish(new OutboundError('CONNECTION_FAILED', 'the connection failed')));
  response.on('close', () => {
    if (!response.complete) finish(new OutboundError('CONNECTION_FAILED', 'the connection failed'));
  });
}
