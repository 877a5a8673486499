import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootConfig, configProblemLines } from './boot-config';
import { ConfigError } from './config-error';
import { env } from './env';
import { loadConfig } from './load-config';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Runs bootConfig in `dir` (for its `.env`) and records what a person and a log pipeline see. */
function boot(dir: string, load: () => unknown) {
  const stderr: string[] = [];
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    bootConfig('gateway', load, {
      stderr: (line) => stderr.push(line),
      log: (message, fields) => logs.push({ message, fields }),
      exit: (code) => {
        throw new Exit(code);
      },
    });
    return { exit: 0, stderr, logs };
  } catch (error) {
    if (error instanceof Exit) return { exit: error.code, stderr, logs };
    throw error;
  } finally {
    process.chdir(cwd);
  }
}

describe('bootConfig: config problems a person can read', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-boot-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    process.env = { ...saved };
  });

  it('prints one line per bad variable, logs them once as JSON, and exits 1', () => {
    const result = boot(dir, () =>
      loadConfig(
        {
          PORT: env.int({ default: 8080, min: 0, max: 65535 }),
          LOG_LEVEL: env.oneOf(['info', 'debug']),
        },
        { PORT: 'abc', LOG_LEVEL: 'loud' },
      ),
    );
    expect(result.exit).toBe(1);
    expect(result.stderr).toEqual([
      "gateway: PORT must be an integer between 0 and 65535 (got 'abc')",
      expect.stringMatching(/^gateway: LOG_LEVEL must be one of info, debug \(got 'loud'\)$/),
    ]);
    expect(result.logs).toEqual([
      {
        message: 'invalid configuration',
        fields: {
          problems: [
            expect.objectContaining({ variable: 'PORT' }),
            expect.objectContaining({ variable: 'LOG_LEVEL' }),
          ],
        },
      },
    ]);
  });

  it('reports a bad .env line with its file and line number, not a stack trace', () => {
    writeFileSync(
      join(dir, '.env'),
      ['PORT=8080', 'this is not an assignment', 'A="never closed', 'B=1'].join('\n'),
    );
    const result = boot(dir, () => ({}));
    expect(result.exit).toBe(1);
    expect(result.stderr).toEqual([
      'gateway: .env:2: expected KEY=VALUE',
      'gateway: .env:3: A: unterminated " quote',
    ]);
    expect(result.stderr.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('turns any other boot error into one line: its first, without the stack', () => {
    const result = boot(dir, () => {
      throw new Error('STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID\n    at somewhere (file.ts:1:1)');
    });
    expect(result.stderr).toEqual([
      'gateway: cannot load the configuration: STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID',
    ]);
    expect(result.logs[0]?.fields).toEqual({
      problems: [{ variable: 'configuration', message: 'STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID' }],
    });
  });

  it('returns the configuration when everything is fine, .env values included', () => {
    delete process.env['SC_BOOT_TEST'];
    writeFileSync(join(dir, '.env'), 'SC_BOOT_TEST=from-file\n');
    const result = boot(dir, () => ({ value: process.env['SC_BOOT_TEST'] }));
    expect(result).toEqual({ exit: 0, stderr: [], logs: [] });
    expect(process.env['SC_BOOT_TEST']).toBe('from-file');
  });

  it('formats ConfigError problems on their own', () => {
    expect(
      configProblemLines('executor', new ConfigError([{ variable: 'NATS_URL', message: 'is required' }])),
    ).toEqual(['executor: NATS_URL is required']);
  });
});
