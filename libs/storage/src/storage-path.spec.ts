import { InvalidStoragePathError, normaliseStoragePath, normaliseStoragePrefix } from './storage-path';

describe('normaliseStoragePath', () => {
  it.each([
    ['runs/r1/out.json', 'runs/r1/out.json'],
    ['a//b', 'a/b'],
    ['./a/./b/', 'a/b'],
    ['a/b/.', 'a/b'],
    ['..hidden/x', '..hidden/x'],
    ['a/..b/c..', 'a/..b/c..'],
    ['leads/run:1/result.json', 'leads/run:1/result.json'],
  ])('%p → %p', (input, output) => {
    expect(normaliseStoragePath(input)).toBe(output);
  });

  it.each([
    ['', 'is empty'],
    ['.', 'is empty'],
    ['.//./', 'is empty'],
    ['/abs', 'must be relative'],
    ['//abs', 'must be relative'],
    ['C:/Windows', 'must be relative'],
    ['c:x', 'must be relative'],
    ['..', "must not contain '..'"],
    ['../x', "must not contain '..'"],
    ['a/../b', "must not contain '..'"],
    ['a/b/..', "must not contain '..'"],
    ['a\\b', 'contains a backslash'],
    ['..\\x', 'contains a backslash'],
    ['a\0b', 'contains a NUL character'],
  ])('refuses %p (%s)', (input, reason) => {
    expect(() => normaliseStoragePath(input)).toThrow(InvalidStoragePathError);
    expect(() => normaliseStoragePath(input)).toThrow(reason);
  });

  it('names the offending path in the message', () => {
    expect(() => normaliseStoragePath('../../etc/passwd')).toThrow(
      `invalid storage path "../../etc/passwd": must not contain '..'`,
    );
  });
});

describe('normaliseStoragePrefix', () => {
  it('allows the empty prefix and keeps a trailing slash', () => {
    expect(normaliseStoragePrefix('')).toBe('');
    expect(normaliseStoragePrefix('runs/')).toBe('runs/');
    expect(normaliseStoragePrefix('runs//r1')).toBe('runs/r1');
  });

  it('refuses what a path refuses', () => {
    expect(() => normaliseStoragePrefix('../')).toThrow(InvalidStoragePathError);
    expect(() => normaliseStoragePrefix('/')).toThrow(InvalidStoragePathError);
  });
});
