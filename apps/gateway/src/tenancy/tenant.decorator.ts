import { createParamDecorator } from '@nestjs/common';

/** The tenant of every request while auth is off (docs/api.md, "Auth and tenants"). */
export const DEFAULT_TENANT_ID = 'default';

/**
 * The tenant a request acts for. Handlers pass it explicitly down to every query, so when API
 * keys arrive only this decorator has to learn where the tenant comes from.
 */
export const TenantId = createParamDecorator((): string => DEFAULT_TENANT_ID);
