import { ApiException } from '../http/api.exception';
import { ALL_TENANTS } from '../tenancy/tenant-scope';
import { keyScopeOf } from './key-access.util';

const tenant = { kind: 'tenant', tenantId: 'acme', keyId: 'k', maxCostPerRunUsd: null } as const;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof ApiException ? err.code : 'other';
  }
  return undefined;
}

describe('keyScopeOf', () => {
  it('lets the admin key manage every tenant, or the one it names', () => {
    expect(keyScopeOf({ kind: 'admin' })).toBe(ALL_TENANTS);
    expect(keyScopeOf({ kind: 'admin' }, 'globex')).toBe('globex');
  });

  it("keeps a tenant key to its own tenant's keys", () => {
    expect(keyScopeOf(tenant)).toBe('acme');
    expect(keyScopeOf(tenant, 'acme')).toBe('acme');
    expect(codeOf(() => keyScopeOf(tenant, 'globex'))).toBe('FORBIDDEN');
  });

  it('refuses callers without a key (auth off)', () => {
    expect(codeOf(() => keyScopeOf({ kind: 'anonymous', tenantId: 'default' }))).toBe('UNAUTHORIZED');
  });
});
