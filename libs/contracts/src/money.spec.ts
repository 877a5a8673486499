import { addUsd } from './money';

describe('addUsd', () => {
  it('adds without binary drift', () => {
    expect(0.4 + 0.45).not.toBe(0.85);
    expect(addUsd(0.4, 0.45)).toBe(0.85);
    expect([0.1, 0.2, 0.3].reduce(addUsd, 0)).toBe(0.6);
  });

  it('keeps amounts down to a nano-dollar', () => {
    expect(addUsd(0.000000001, 0.000000002)).toBe(0.000000003);
  });
});
