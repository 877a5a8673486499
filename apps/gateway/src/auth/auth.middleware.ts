import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fail, type ErrorCode } from '@sandcastle/contracts';
import type { Logger } from '@sandcastle/observability';
import type { GatewayConfig } from '../config/gateway.config';
import { errorResponseOf } from '../http/error-response.util';
import { DEFAULT_TENANT_ID } from '../tenancy/tenant.decorator';
import type { ApiKeyAuthenticator } from './api-key-authenticator.service';
import { setCaller, type Caller } from './caller';
import type { KeyUsageRecorder } from './key-usage.recorder';
import { presentedKeyOf } from './presented-key.util';
import { clientAddressOf } from '../fairness/client-address.util';
import { TokenBucketLimiter, type RateDecision } from './token-bucket.limiter';

/** Probes, metrics and the API description stay open: orchestrators and scrapers carry no keys. */
const PUBLIC_PATH = /^\/(health(\/.*)?|metrics\/?|docs(-json|-yaml|\/.*)?)$/;

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATH.test(path);
}

/**
 * The rate limit of a caller: a tenant's keys share one bucket; the admin key has its own; an
 * anonymous caller (auth off: everyone is tenant `default`) is limited per client address, as
 * one shared bucket would let any client starve the rest (docs/security.md).
 */
function bucketOf(caller: Caller, req: Request): { limiter: 'tenant' | 'address'; key: string } {
  if (caller.kind === 'tenant') return { limiter: 'tenant', key: `tenant:${caller.tenantId}` };
  if (caller.kind === 'admin') return { limiter: 'tenant', key: 'admin' };
  return { limiter: 'address', key: addressKeyOf(req) };
}

const addressKeyOf = (req: Request): string => `address:${clientAddressOf(req)}`;

export interface AuthDependencies {
  config: GatewayConfig;
  authenticator: ApiKeyAuthenticator;
  usage: KeyUsageRecorder;
  logger: Logger;
}

function refuse(res: Response, status: number, code: ErrorCode, message: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="sandcastle"');
  res.status(status).json(fail(code, message));
}

/**
 * Establishes who sends each request (the caller: a tenant key, the admin key, or anonymous
 * tenant `default` with auth off) and applies the per-tenant rate limit. Runs as Express
 * middleware ahead of the body parser, so an unauthenticated request is refused before its body
 * is read, and after CORS, so refusals carry CORS headers (the original answered 401s without
 * them, which browsers report as a network error).
 */
export function authMiddleware(deps: AuthDependencies): RequestHandler {
  const { config, authenticator, usage } = deps;
  const limiter =
    config.RATE_LIMIT_PER_MINUTE > 0 ? new TokenBucketLimiter(config.RATE_LIMIT_PER_MINUTE) : undefined;
  /** Callers without a tenant key, per client address: anonymous requests and refused keys. */
  const addressLimiter =
    config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE > 0
      ? new TokenBucketLimiter(config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE)
      : undefined;

  function limited(
    res: Response,
    decision: RateDecision | undefined,
    perMinute: number,
    what: string,
  ): boolean {
    if (!decision || decision.allowed) return false;
    res.setHeader('Retry-After', String(decision.retryAfterSeconds));
    refuse(
      res,
      429,
      'RATE_LIMITED',
      `rate limit of ${perMinute} requests per minute ${what} reached; retry in ${decision.retryAfterSeconds} s`,
    );
    return true;
  }

  /**
   * An address that spent its budget of unauthenticated requests is refused before any key
   * lookup, so a flood of made-up keys never reaches the database. The admin key and keys this
   * replica already knows as active still pass (a tenant behind the same NAT is not locked out).
   */
  function addressExhausted(req: Request): RateDecision | undefined {
    if (!addressLimiter || !config.AUTH_REQUIRED) return undefined;
    const address = addressKeyOf(req);
    if (!addressLimiter.isExhausted(address)) return undefined;
    const presented = presentedKeyOf(req.headers, req.query);
    if (
      presented.kind === 'key' &&
      (authenticator.isAdminKey(presented.key) || authenticator.isKnownActive(presented.key))
    ) {
      return undefined;
    }
    return addressLimiter.take(address);
  }

  async function callerFor(req: Request, res: Response): Promise<Caller | undefined> {
    const presented = presentedKeyOf(req.headers, req.query);
    if (presented.kind === 'refused') {
      refuse(res, 401, 'UNAUTHORIZED', presented.message);
      return undefined;
    }
    const key = presented.kind === 'key' ? presented.key : undefined;
    if (key !== undefined && authenticator.isAdminKey(key)) return { kind: 'admin' };
    if (!config.AUTH_REQUIRED) return { kind: 'anonymous', tenantId: DEFAULT_TENANT_ID };
    if (key === undefined) {
      refuse(
        res,
        401,
        'UNAUTHORIZED',
        'an API key is required: send it as X-API-Key or Authorization: Bearer',
      );
      return undefined;
    }
    const caller = await authenticator.authenticate(key);
    if (!caller) {
      refuse(res, 401, 'UNAUTHORIZED', 'the API key is unknown or deactivated');
      return undefined;
    }
    usage.touch(caller.keyId);
    return caller;
  }

  return (req: Request, res: Response, next: NextFunction) => {
    if (isPublicPath(req.path)) {
      next();
      return;
    }
    if (limited(res, addressExhausted(req), config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, 'per client address'))
      return;
    callerFor(req, res).then(
      (caller) => {
        if (!caller) {
          // Refused (401): the failure counts against the client address.
          addressLimiter?.take(addressKeyOf(req));
          return;
        }
        const bucket = bucketOf(caller, req);
        if (bucket.limiter === 'tenant') {
          if (limited(res, limiter?.take(bucket.key), config.RATE_LIMIT_PER_MINUTE, 'per tenant')) return;
        } else if (
          limited(
            res,
            addressLimiter?.take(bucket.key),
            config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
            'per client address',
          )
        ) {
          return;
        }
        setCaller(req, caller);
        next();
      },
      (err: unknown) => {
        // The key lookup failed (database down): the same envelope the exception filter sends.
        const { status, body } = errorResponseOf(err);
        deps.logger.error('authentication failed', { method: req.method, path: req.path, status, err });
        res.status(status).json(body);
      },
    );
  };
}
