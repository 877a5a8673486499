import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { callerOf, type Caller } from '../auth/caller';
import { ApiException } from '../http/api.exception';
import { ALL_TENANTS, type TenantScope } from './tenant-scope';

/** The tenant of every request while auth is off (docs/api.md, "Auth and tenants"). */
export const DEFAULT_TENANT_ID = 'default';

function requestOf(ctx: ExecutionContext): Request {
  return ctx.switchToHttp().getRequest<Request>();
}

/** The tenant a caller acts for; the admin key acts for none (it reads across tenants). */
export function tenantIdOf(caller: Caller): string {
  if (caller.kind === 'admin') {
    throw new ApiException(
      'FORBIDDEN',
      "the admin key manages API keys and reads across tenants; act for a tenant with that tenant's key",
    );
  }
  return caller.tenantId;
}

/**
 * The tenant a request acts for (creates, changes, starts runs as). Handlers pass it explicitly
 * down to every query and write. The admin key is refused here with 403: it belongs to no
 * tenant, and guessing one would create objects nobody owns.
 */
export const TenantId = createParamDecorator((_: unknown, ctx: ExecutionContext): string =>
  tenantIdOf(callerOf(requestOf(ctx))),
);

/** What a read may see: the caller's tenant, or every tenant for the admin key. */
export const ReadScope = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const caller = callerOf(requestOf(ctx));
  return caller.kind === 'admin' ? ALL_TENANTS : caller.tenantId;
});

/** The caller itself, for routes whose rules depend on who asks (API key management). */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller =>
  callerOf(requestOf(ctx)),
);

/** The `max_cost_per_run_usd` of the caller's key; null for the admin key and with auth off. */
export const KeyBudget = createParamDecorator((_: unknown, ctx: ExecutionContext): number | null => {
  const caller = callerOf(requestOf(ctx));
  return caller.kind === 'tenant' ? caller.maxCostPerRunUsd : null;
});
