import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { callerOf, type Caller } from '../auth/caller';
import { clientAddressOf } from './client-address.util';

/**
 * Whose share a request counts against: a tenant (all its keys together), the admin key, or,
 * for anonymous callers (AUTH_REQUIRED=false: everyone is tenant `default`), the client address
 * — one shared `default` share would let any client starve the rest.
 */
export function fairShareKeyOf(caller: Caller, req: Request): string {
  if (caller.kind === 'tenant') return `tenant:${caller.tenantId}`;
  if (caller.kind === 'admin') return 'admin';
  return `address:${clientAddressOf(req)}`;
}

export const FairShareKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return fairShareKeyOf(callerOf(req), req);
});
