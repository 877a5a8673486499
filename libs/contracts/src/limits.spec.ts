import fc from 'fast-check';
import {
  boundedOutput,
  cutToBytes,
  JsonBudgetExceeded,
  stringifyWithin,
  utf8Bytes,
  writeJson,
} from './limits';

describe('writeJson', () => {
  it('writes the same text as JSON.stringify for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const pieces: string[] = [];
        writeJson(value, (p) => (pieces.push(p), true));
        expect(pieces.join('')).toBe(JSON.stringify(value));
      }),
      { numRuns: 200 },
    );
    const odd = { a: undefined, b: [undefined, NaN, Infinity], d: new Date(0) };
    const pieces: string[] = [];
    writeJson(odd, (p) => (pieces.push(p), true));
    expect(pieces.join('')).toBe(JSON.stringify(odd));
  });

  it('stops as soon as the callback says so', () => {
    let calls = 0;
    expect(
      writeJson(
        Array.from({ length: 1000 }, () => 'x'),
        () => ++calls < 5,
      ),
    ).toBe(false);
    expect(calls).toBe(5);
  });
});

describe('stringifyWithin', () => {
  it('returns the JSON text within the budget and throws past it, without building it all', () => {
    expect(stringifyWithin({ a: 'é' }, 100)).toBe('{"a":"é"}');
    const huge = Array.from({ length: 100_000 }, () => 'x'.repeat(100));
    expect(() => stringifyWithin(huge, 1000)).toThrow(JsonBudgetExceeded);
  });
});

describe('boundedOutput', () => {
  it('keeps a small output as is', () => {
    expect(boundedOutput({ a: 1 }, 100)).toEqual({ output: { a: 1 } });
  });
  it('turns a large output into a preview of at most maxBytes with the full size', () => {
    const big = { text: 'é'.repeat(1000) };
    const bounded = boundedOutput(big, 64);
    expect(bounded).toMatchObject({ output_truncated: true, output_bytes: utf8Bytes(JSON.stringify(big)) });
    expect(typeof bounded.output).toBe('string');
    expect(utf8Bytes(bounded.output as string)).toBeLessThanOrEqual(64);
    expect(JSON.stringify(big).startsWith(bounded.output as string)).toBe(true);
  });
  it('never splits a surrogate pair', () => {
    expect(cutToBytes('a\uD83D\uDE00b', 3)).toBe('a');
    expect(cutToBytes('a\uD83D\uDE00b', 5)).toBe('a\uD83D\uDE00');
  });
});
