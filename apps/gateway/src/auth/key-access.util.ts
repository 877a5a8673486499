import { ApiException } from '../http/api.exception';
import { ALL_TENANTS, type TenantScope } from '../tenancy/tenant-scope';
import type { Caller } from './caller';

/**
 * Which tenants' keys a caller may manage. Key management always needs a key: with auth off
 * anyone could otherwise mint keys that become valid the day auth is switched on (the original's
 * only bootstrap path). `tenantId` is the tenant a request names, if any.
 */
export function keyScopeOf(caller: Caller, tenantId?: string): TenantScope {
  if (caller.kind === 'anonymous') {
    throw new ApiException(
      'UNAUTHORIZED',
      'managing API keys needs a key: ADMIN_API_KEY, or a tenant key with AUTH_REQUIRED=true',
    );
  }
  if (caller.kind === 'admin') return tenantId ?? ALL_TENANTS;
  if (tenantId !== undefined && tenantId !== caller.tenantId) {
    throw new ApiException('FORBIDDEN', "a tenant key can only manage its own tenant's keys");
  }
  return caller.tenantId;
}
