import type { Request } from 'express';

/** Who sent a request, as the auth middleware established it. */
export type Caller =
  /** A tenant's API key. */
  | { kind: 'tenant'; tenantId: string; keyId: string; maxCostPerRunUsd: number | null }
  /** ADMIN_API_KEY: manages keys of every tenant and reads across tenants. */
  | { kind: 'admin' }
  /** AUTH_REQUIRED=false and no admin key: everything belongs to tenant `default`. */
  | { kind: 'anonymous'; tenantId: string };

const CALLER = Symbol('sandcastle.caller');

type WithCaller = Request & { [CALLER]?: Caller };

export function setCaller(req: Request, caller: Caller): void {
  (req as WithCaller)[CALLER] = caller;
}

/**
 * The caller of a request. Every API route sits behind the auth middleware, so a missing
 * caller is a wiring bug: failing loudly beats serving the request as somebody.
 */
export function callerOf(req: Request): Caller {
  const caller = (req as WithCaller)[CALLER];
  if (!caller) throw new Error(`no caller on ${req.method} ${req.path}: the auth middleware did not run`);
  return caller;
}
