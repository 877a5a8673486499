import { HttpException } from '@nestjs/common';
import { fail, type ApiEnvelope, type ErrorCode } from '@sandcastle/contracts';
import { ApiException } from './api.exception';

export interface ErrorResponse {
  status: number;
  body: ApiEnvelope<never>;
  /** An unexpected failure: log it with its stack (the body says nothing internal). */
  unexpected: boolean;
}

/** SQLSTATEs and socket errors that mean "a dependency is unreachable", not "our code is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

function errorCodeOf(err: unknown): unknown {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, driverError } = err as { code?: unknown; driverError?: { code?: unknown } };
  return code ?? driverError?.code;
}

/** Body-parser and Express errors reach us wrapped by Nest, with the original as `cause`. */
function httpResponse(exception: HttpException, bodyLimit: string | undefined): ErrorResponse {
  const status = exception.getStatus();
  const cause = exception.cause as { type?: unknown } | undefined;
  if (status === 400 && (cause instanceof SyntaxError || cause?.type === 'entity.parse.failed')) {
    return {
      status,
      body: fail('VALIDATION_ERROR', 'the request body is not valid JSON'),
      unexpected: false,
    };
  }
  if (status === 413) {
    const limit = bodyLimit ? ` (limit ${bodyLimit})` : '';
    return {
      status,
      body: fail('PAYLOAD_TOO_LARGE', `the request body is too large${limit}`),
      unexpected: false,
    };
  }
  if (status === 404) {
    // Nest's "Cannot GET /x": the route does not exist.
    return { status, body: fail('NOT_FOUND', exception.message), unexpected: false };
  }
  if (status >= 500) {
    const code = BY_STATUS[status] ?? 'INTERNAL';
    return {
      status: code === 'INTERNAL' ? 500 : status,
      body: fail(code, 'internal error'),
      unexpected: true,
    };
  }
  // Every other client error (e.g. 415 from an unsupported body charset) is a bad request; the
  // contract has no other codes for them.
  const code = BY_STATUS[status] ?? 'VALIDATION_ERROR';
  return {
    status: code === 'VALIDATION_ERROR' ? 400 : status,
    body: fail(code, exception.message),
    unexpected: false,
  };
}

/**
 * The one mapping from anything thrown while handling a request to the error envelope. Only
 * ApiException and Nest's HTTP exceptions have messages meant for clients; anything else is a
 * 500 whose message reveals nothing, or a 503 when a dependency is unreachable.
 */
export function errorResponseOf(exception: unknown, bodyLimit?: string): ErrorResponse {
  if (exception instanceof ApiException) {
    return {
      status: exception.status,
      body: fail(exception.code, exception.message, exception.details),
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) return httpResponse(exception, bodyLimit);
  const code = errorCodeOf(exception);
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) {
    return {
      status: 503,
      body: fail('SERVICE_UNAVAILABLE', 'a service the gateway depends on is unavailable; try again shortly'),
      unexpected: true,
    };
  }
  return { status: 500, body: fail('INTERNAL', 'internal error'), unexpected: true };
}
