/**
 * Which tenants' rows a read may see: one tenant (the caller's), or ALL_TENANTS for the admin
 * key. Writes never take a scope, only a tenant id (a string), so TypeScript stops an "all
 * tenants" value from reaching a write.
 */
export const ALL_TENANTS = Symbol('ALL_TENANTS');

export type TenantScope = string | typeof ALL_TENANTS;

/** The `where` fragment of a scope, for TypeORM find options: spread it into the conditions. */
export function tenantWhere(scope: TenantScope): { tenantId?: string } {
  return scope === ALL_TENANTS ? {} : { tenantId: scope };
}

/** The scope as a SQL parameter for `($n::varchar IS NULL OR tenant_id = $n)`: null = every tenant. */
export function tenantParam(scope: TenantScope): string | null {
  return scope === ALL_TENANTS ? null : scope;
}
