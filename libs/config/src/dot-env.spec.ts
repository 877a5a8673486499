import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadDotEnv, parseDotEnv } from './dot-env';

describe('parseDotEnv', () => {
  it('reads KEY=VALUE lines, skipping blanks and comments', () => {
    const text = ['# a comment', '', 'A=1', '  B = two  ', 'export C=3', '   # indented comment', 'D='].join(
      '\n',
    );
    expect(parseDotEnv(text)).toEqual({ A: '1', B: 'two', C: '3', D: '' });
  });

  it('strips inline comments from unquoted values only after whitespace', () => {
    expect(parseDotEnv('A=x # note\nB=x#y\nC= # only a comment')).toEqual({ A: 'x', B: 'x#y', C: '' });
  });

  it('handles double quotes with escapes and single quotes literally', () => {
    const text = [
      'A="hello world" # greeting',
      'B="line1\\nline2 \\"q\\" \\\\ # not a comment"',
      "C='raw \\n $x # kept'",
      'D=""',
      'E="a=b"',
    ].join('\n');
    expect(parseDotEnv(text)).toEqual({
      A: 'hello world',
      B: 'line1\nline2 "q" \\ # not a comment',
      C: 'raw \\n $x # kept',
      D: '',
      E: 'a=b',
    });
  });

  it('lets quoted values span lines', () => {
    const text = 'KEY="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1\r\nLAST=2';
    expect(parseDotEnv(text)).toEqual({ KEY: '-----BEGIN-----\nabc\n-----END-----', NEXT: '1', LAST: '2' });
  });

  it('lets a later assignment win', () => {
    expect(parseDotEnv('A=1\nA=2')).toEqual({ A: '2' });
  });

  it('reports every malformed line with its number', () => {
    let error: unknown;
    try {
      parseDotEnv('A=1\nnot an assignment\n1BAD=x\nB="open\nC=3', 'dev.env');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { variable: 'dev.env:2', message: 'expected KEY=VALUE' },
      { variable: 'dev.env:3', message: 'expected KEY=VALUE' },
      { variable: 'dev.env:4', message: 'B: unterminated " quote' },
    ]);
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseDotEnv('A="x" y')).toThrow('.env:1: A: unexpected text after the closing quote');
  });
});

describe('loadDotEnv', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-dotenv-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets variables that are not already set, and never overrides set ones (even empty)', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'NEW=from-file\nSET=from-file\nEMPTY=from-file\n');
    const target: Record<string, string | undefined> = { SET: 'from-env', EMPTY: '' };
    loadDotEnv(file, target);
    expect(target).toEqual({ NEW: 'from-file', SET: 'from-env', EMPTY: '' });
  });

  it('does nothing when the file does not exist', () => {
    const target: Record<string, string | undefined> = {};
    loadDotEnv(join(dir, 'missing.env'), target);
    expect(target).toEqual({});
  });

  it('reads ./.env relative to the working directory into process.env by default', () => {
    const name = `SC_DOTENV_${process.pid}`;
    writeFileSync(join(dir, '.env'), `${name}=yes\n`);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      loadDotEnv();
      expect(process.env[name]).toBe('yes');
    } finally {
      process.chdir(cwd);
      delete process.env[name];
    }
  });

  it('fails on a malformed file instead of loading half of it', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'GOOD=1\noops\n');
    const target: Record<string, string | undefined> = {};
    expect(() => loadDotEnv(file, target)).toThrow(ConfigError);
    expect(target).toEqual({});
  });
});
