import { canonicalJson, requestHash } from './request-hash.util';

describe('requestHash', () => {
  it('ignores key order at every level', () => {
    const a = { workflow: { name: 'x' }, input: { b: 1, a: [{ d: 1, c: 2 }] } };
    const b = { input: { a: [{ c: 2, d: 1 }], b: 1 }, workflow: { name: 'x' } };
    expect(requestHash(a)).toBe(requestHash(b));
    expect(canonicalJson(b)).toBe('{"input":{"a":[{"c":2,"d":1}],"b":1},"workflow":{"name":"x"}}');
  });

  it('tells different requests apart', () => {
    expect(requestHash({ input: { a: 1 } })).not.toBe(requestHash({ input: { a: 2 } }));
    expect(requestHash({ input: [1, 2] })).not.toBe(requestHash({ input: [2, 1] }));
    expect(requestHash({ max_cost_usd: null })).not.toBe(requestHash({ max_cost_usd: 0 }));
  });
});
