import { resolveBudget } from './budget.util';

describe('resolveBudget', () => {
  it('prefers the request budget', () => {
    expect(resolveBudget(2.5, 10)).toBe(2.5);
    expect(resolveBudget(2.5, 0)).toBe(2.5);
  });

  it('falls back to the default budget when the request sets none or 0', () => {
    expect(resolveBudget(undefined, 10)).toBe(10);
    expect(resolveBudget(0, 10)).toBe(10);
  });

  it('means no limit when neither is above 0', () => {
    expect(resolveBudget(undefined, 0)).toBeNull();
    expect(resolveBudget(0, 0)).toBeNull();
  });
});
