import { env } from './env';

/** Parses one raw value (undefined = unset) and returns the value or the problem message. */
function parse(spec: { parse(raw: string | undefined): { ok: boolean } }, raw: string | undefined): unknown {
  const r = spec.parse(raw) as { ok: true; value: unknown } | { ok: false; message: string };
  return r.ok ? { value: r.value } : { error: r.message };
}

describe('env.str', () => {
  it('keeps the value exactly as written', () => {
    expect(parse(env.str(), '  a b ')).toEqual({ value: '  a b ' });
  });
  it('is required unless it has a default or is optional', () => {
    expect(parse(env.str(), undefined)).toEqual({ error: 'is required' });
    expect(parse(env.str({ default: 'x' }), undefined)).toEqual({ value: 'x' });
    expect(parse(env.str({ optional: true }), undefined)).toEqual({ value: undefined });
  });
  it('refuses blank values when nonEmpty', () => {
    expect(parse(env.str({ nonEmpty: true }), '   ')).toEqual({ error: 'must not be blank' });
    expect(parse(env.str({ nonEmpty: true }), ' x ')).toEqual({ value: ' x ' });
  });
});

describe('env.int', () => {
  it('parses integers, ignoring surrounding whitespace', () => {
    expect(parse(env.int(), ' 42 ')).toEqual({ value: 42 });
    expect(parse(env.int(), '-7')).toEqual({ value: -7 });
  });
  it.each(['abc', '1.5', '1e3', '0x10', '', '9007199254740993'])('refuses %p', (raw) => {
    expect(parse(env.int(), raw)).toEqual({ error: `must be an integer (got '${raw}')` });
  });
  it('enforces the range and says it in the message', () => {
    const port = env.int({ min: 1, max: 65535 });
    expect(parse(port, 'abc')).toEqual({ error: "must be an integer between 1 and 65535 (got 'abc')" });
    expect(parse(port, '0')).toEqual({ error: "must be an integer between 1 and 65535 (got '0')" });
    expect(parse(port, '65536')).toEqual({ error: "must be an integer between 1 and 65535 (got '65536')" });
    expect(parse(port, '65535')).toEqual({ value: 65535 });
    expect(parse(env.int({ min: 0 }), '-1')).toEqual({ error: "must be an integer >= 0 (got '-1')" });
    expect(parse(env.int({ max: 9 }), '10')).toEqual({ error: "must be an integer <= 9 (got '10')" });
  });
  it('uses the default when unset', () => {
    expect(parse(env.int({ default: 3000 }), undefined)).toEqual({ value: 3000 });
    expect(parse(env.int({ optional: true }), undefined)).toEqual({ value: undefined });
  });
});

describe('env.num', () => {
  it.each([
    ['0.5', 0.5],
    ['-2', -2],
    ['.25', 0.25],
    ['1e-3', 0.001],
    [' 3 ', 3],
  ])('parses %p', (raw, value) => {
    expect(parse(env.num(), raw)).toEqual({ value });
  });
  it.each(['abc', '0x10', 'Infinity', 'NaN', '1,5'])('refuses %p', (raw) => {
    expect(parse(env.num(), raw)).toEqual({ error: `must be a number (got '${raw}')` });
  });
  it('enforces the range', () => {
    expect(parse(env.num({ min: 0, max: 1 }), '1.01')).toEqual({
      error: "must be a number between 0 and 1 (got '1.01')",
    });
    expect(parse(env.num({ min: 0 }), '0')).toEqual({ value: 0 });
  });
});

describe('env.bool', () => {
  it.each(['true', 'TRUE', '1', 'yes', ' Yes '])('reads %p as true', (raw) => {
    expect(parse(env.bool(), raw)).toEqual({ value: true });
  });
  it.each(['false', 'False', '0', 'no', 'NO'])('reads %p as false', (raw) => {
    expect(parse(env.bool(), raw)).toEqual({ value: false });
  });
  it.each(['on', 'y', 'maybe', '2'])('refuses %p', (raw) => {
    expect(parse(env.bool(), raw)).toEqual({
      error: `must be one of true/false, 1/0, yes/no (got '${raw}')`,
    });
  });
  it('is required without a default', () => {
    expect(parse(env.bool(), undefined)).toEqual({ error: 'is required' });
    expect(parse(env.bool({ default: false }), undefined)).toEqual({ value: false });
  });
});

describe('env.url', () => {
  it('accepts URLs and keeps them as trimmed strings', () => {
    expect(parse(env.url(), ' http://localhost:8000 ')).toEqual({ value: 'http://localhost:8000' });
  });
  it.each(['not a url', 'localhost:8000', 'http://', 'mailto:ops@example.com'])(
    'refuses %p (not of the form scheme://host)',
    (raw) => {
      expect(parse(env.url(), raw)).toEqual({ error: `must be a URL (got '${raw}')` });
    },
  );
  it('checks the protocol and masks passwords in the message', () => {
    const db = env.url({ protocols: ['postgres:', 'postgresql:'] });
    expect(parse(db, 'postgresql://u:pw@db:5432/sc')).toEqual({ value: 'postgresql://u:pw@db:5432/sc' });
    expect(parse(db, 'mysql://u:secret@db/sc')).toEqual({
      error: "must be a URL with protocol postgres: or postgresql: (got 'mysql://u:***@db/sc')",
    });
  });
  it('cuts very long values in messages', () => {
    const r = parse(env.url(), 'x'.repeat(200)) as { error: string };
    expect(r.error).toBe(`must be a URL (got '${'x'.repeat(77)}...')`);
  });
  it('supports optional and default', () => {
    expect(parse(env.url({ optional: true }), undefined)).toEqual({ value: undefined });
    expect(parse(env.url({ default: 'http://a' }), undefined)).toEqual({ value: 'http://a' });
  });
});

describe('env.oneOf', () => {
  const level = env.oneOf(['debug', 'info', 'warn', 'error'], { default: 'info' });
  it('accepts listed values, case-insensitively, returning the canonical spelling', () => {
    expect(parse(level, 'warn')).toEqual({ value: 'warn' });
    expect(parse(level, ' DEBUG ')).toEqual({ value: 'debug' });
  });
  it('lists the allowed values when refusing', () => {
    expect(parse(level, 'loud')).toEqual({ error: "must be one of debug, info, warn, error (got 'loud')" });
  });
  it('prefers an exact match when values differ only by case', () => {
    expect(parse(env.oneOf(['a', 'A']), 'A')).toEqual({ value: 'A' });
  });
  it('uses the default, or is required, or optional', () => {
    expect(parse(level, undefined)).toEqual({ value: 'info' });
    expect(parse(env.oneOf(['x']), undefined)).toEqual({ error: 'is required' });
    expect(parse(env.oneOf(['x'], { optional: true }), undefined)).toEqual({ value: undefined });
  });
});
