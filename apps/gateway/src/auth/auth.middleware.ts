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
import { TokenBucketLimiter } from './token-bucket.limiter';

/** Probes, metrics and the API description stay open: orchestrators and scrapers carry no keys. */
const PUBLIC_PATH = /^\/(health(\/.*)?|metrics\/?|docs(-json|-yaml|\/.*)?)$/;

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATH.test(path);
}

/** The rate limit bucket of a caller: a tenant's keys share one; the admin key has its own. */
function bucketOf(caller: Caller): string | undefined {
  if (caller.kind === 'tenant') return `tenant:${caller.tenantId}`;
  if (caller.kind === 'admin') return 'admin';
  // Auth off: every client is tenant `default`; one shared bucket would let any client starve
  // the rest, so nothing is limited (docs/security.md).
  return undefined;
}

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
    callerFor(req, res).then(
      (caller) => {
        if (!caller) return;
        const bucket = bucketOf(caller);
        const decision = bucket === undefined || !limiter ? undefined : limiter.take(bucket);
        if (decision && !decision.allowed) {
          res.setHeader('Retry-After', String(decision.retryAfterSeconds));
          refuse(
            res,
            429,
            'RATE_LIMITED',
            `rate limit of ${config.RATE_LIMIT_PER_MINUTE} requests per minute reached; retry in ${decision.retryAfterSeconds} s`,
          );
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
