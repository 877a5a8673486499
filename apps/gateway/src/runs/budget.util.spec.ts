import { resolveBudget } from './budget.util';

describe('resolveBudget', () => {
  it('takes the smallest budget that is set', () => {
    expect(resolveBudget({ requestedUsd: 2.5, tenantKeyUsd: 5, defaultUsd: 10 })).toBe(2.5);
    expect(resolveBudget({ requestedUsd: 2.5, tenantKeyUsd: null, defaultUsd: 0 })).toBe(2.5);
    expect(resolveBudget({ requestedUsd: 8, tenantKeyUsd: 5, defaultUsd: 3 })).toBe(3);
  });

  it("never lets a request raise the operator's default: the default is a ceiling too", () => {
    expect(resolveBudget({ requestedUsd: 20, tenantKeyUsd: null, defaultUsd: 10 })).toBe(10);
  });

  it("never lets a request raise the key's limit: the key is a ceiling", () => {
    expect(resolveBudget({ requestedUsd: 50, tenantKeyUsd: 5, defaultUsd: 0 })).toBe(5);
    expect(resolveBudget({ requestedUsd: 5, tenantKeyUsd: 5, defaultUsd: 100 })).toBe(5);
  });

  it("falls back to the tenant key's limit when the request sets none or 0", () => {
    expect(resolveBudget({ requestedUsd: undefined, tenantKeyUsd: 5, defaultUsd: 10 })).toBe(5);
    expect(resolveBudget({ requestedUsd: undefined, tenantKeyUsd: 50, defaultUsd: 10 })).toBe(10);
    expect(resolveBudget({ requestedUsd: 0, tenantKeyUsd: 5, defaultUsd: 0 })).toBe(5);
  });

  it('falls back to the default budget when neither the request nor the key sets one', () => {
    expect(resolveBudget({ requestedUsd: undefined, tenantKeyUsd: null, defaultUsd: 10 })).toBe(10);
    expect(resolveBudget({ requestedUsd: 0, tenantKeyUsd: 0, defaultUsd: 10 })).toBe(10);
  });

  it('means no limit when nothing is above 0', () => {
    expect(resolveBudget({ requestedUsd: undefined, tenantKeyUsd: null, defaultUsd: 0 })).toBeNull();
    expect(resolveBudget({ requestedUsd: 0, tenantKeyUsd: 0, defaultUsd: 0 })).toBeNull();
  });
});
