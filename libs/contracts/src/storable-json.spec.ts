import { addCount, jsonBytes, MAX_STORED_INT, utf8Bytes } from './limits';
import {
  isStorableString,
  MAX_OUTPUT_DEPTH,
  storableCost,
  storableCount,
  storableJson,
  storableString,
  storableUsage,
  UnstorableValueError,
  findUnstorableText,
  MAX_ERROR_CHARS,
  storableResult,
} from './storable-json';

describe('storableString', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps valid pairs', () => {
    expect(storableString('a\u0000b')).toBe('a\uFFFDb');
    expect(storableString('x\uD800y')).toBe('x\uFFFDy');
    expect(storableString('x\uDC00')).toBe('x\uFFFD');
    expect(storableString('emoji \uD83D\uDE00')).toBe('emoji \uD83D\uDE00');
    expect(isStorableString('a\u0000')).toBe(false);
    expect(isStorableString('\uD83D\uDE00 ok')).toBe(true);
  });
});

describe('storableJson', () => {
  it('cleans strings and keys deep inside, and non-finite numbers', () => {
    const dirty = { 'k\u0000': [{ v: 'a\uD800' }, NaN, Infinity, 1.5, true, null] };
    expect(storableJson(dirty)).toEqual({ 'k\uFFFD': [{ v: 'a\uFFFD' }, null, null, 1.5, true, null] });
  });
  it('returns clean values unchanged (same object)', () => {
    const clean = { a: [1, 'b', { c: null }] };
    expect(storableJson(clean)).toBe(clean);
  });
  it('refuses nesting beyond the depth limit', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_OUTPUT_DEPTH + 5; i++) deep = [deep];
    expect(() => storableJson(deep)).toThrow(UnstorableValueError);
  });
  it('produces JSON that survives a round trip', () => {
    const out = storableJson({ s: '\u0000\uDBFF' });
    expect(JSON.parse(JSON.stringify(out))).toEqual({ s: '\uFFFD\uFFFD' });
  });
});

describe('numbers', () => {
  it('clamps counts to the integer column and cost to finite, non-negative', () => {
    expect(storableCount(2 ** 40)).toBe(MAX_STORED_INT);
    expect(storableCount(-5)).toBe(0);
    expect(storableCount(NaN)).toBe(0);
    expect(storableCount('7')).toBe(0);
    expect(storableCount(3.6)).toBe(4);
    expect(storableCost(NaN)).toBe(0);
    expect(storableCost(Infinity)).toBe(0);
    expect(storableCost(-1)).toBe(0);
    expect(storableCost(0.25)).toBe(0.25);
    expect(storableUsage({ inputTokens: 2 ** 40, outputTokens: Infinity })).toEqual({
      inputTokens: MAX_STORED_INT,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    expect(addCount(MAX_STORED_INT - 1, 10)).toBe(MAX_STORED_INT);
  });
  it('measures UTF-8 bytes like Buffer does', () => {
    for (const s of ['abc', 'é', '€', '\uD83D\uDE00', '\uD800x', '']) {
      expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
    }
    expect(jsonBytes({ a: 'é' })).toBe(Buffer.byteLength('{"a":"é"}'));
    expect(jsonBytes(undefined)).toBe(0);
  });
});

describe('findUnstorableText', () => {
  it('names the first string or key PostgreSQL could not store', () => {
    expect(findUnstorableText({ a: ['ok', { b: 'x\u0000' }] }, 'input')).toBe('input.a[1].b');
    expect(findUnstorableText({ ['k\uD800']: 1 })).toBe('k\uD800');
    expect(findUnstorableText({ a: ['fine', 1, null, { b: '\uD83D\uDE00' }] })).toBeNull();
    expect(findUnstorableText('\u0000')).toBe('');
  });
});

describe('storableResult', () => {
  it('makes every field of a hostile result storable', () => {
    const clean = storableResult({
      output: { text: 'a\u0000', list: ['\uDFFF'] },
      error: `x\u0000${'e'.repeat(10_000)}`,
      costUsd: NaN,
      usage: {
        inputTokens: 2 ** 40,
        outputTokens: -3,
        cacheCreationInputTokens: 1.2,
        cacheReadInputTokens: 0,
      },
      numTurns: 2 ** 33,
      model: 'm\uD800',
    });
    expect(clean.output).toEqual({ text: 'a\uFFFD', list: ['\uFFFD'] });
    expect(clean.error.length).toBe(MAX_ERROR_CHARS);
    expect(clean.error.startsWith('x\uFFFD')).toBe(true);
    expect(clean.costUsd).toBe(0);
    expect(clean.usage).toEqual({
      inputTokens: MAX_STORED_INT,
      outputTokens: 0,
      cacheCreationInputTokens: 1,
      cacheReadInputTokens: 0,
    });
    expect(clean.numTurns).toBe(MAX_STORED_INT);
    expect(clean.model).toBe('m\uFFFD');
  });
});
