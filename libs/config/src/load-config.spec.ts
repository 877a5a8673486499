import { ConfigError } from './config-error';
import { env } from './env';
import { loadConfig } from './load-config';
import { LOG_ENV, STORAGE_ENV } from './shared-env';

describe('loadConfig', () => {
  const spec = {
    PORT: env.int({ default: 3000, min: 1, max: 65535 }),
    DATABASE_URL: env.url({ protocols: ['postgres:', 'postgresql:'] }),
    SANDSTORM_URL: env.url({ optional: true }),
    AUTH_REQUIRED: env.bool({ default: false }),
  };

  it('returns typed values from the source', () => {
    const cfg = loadConfig(spec, { PORT: '8080', DATABASE_URL: 'postgres://db/sc', AUTH_REQUIRED: 'yes' });
    expect(cfg).toEqual({
      PORT: 8080,
      DATABASE_URL: 'postgres://db/sc',
      SANDSTORM_URL: undefined,
      AUTH_REQUIRED: true,
    });
  });

  it('treats an empty string as unset', () => {
    const cfg = loadConfig(spec, { PORT: '', DATABASE_URL: 'postgres://db/sc', SANDSTORM_URL: '' });
    expect(cfg.PORT).toBe(3000);
    expect(cfg.SANDSTORM_URL).toBeUndefined();
  });

  it('collects every problem, in spec order, before throwing', () => {
    let error: unknown;
    try {
      loadConfig(spec, { PORT: 'abc', AUTH_REQUIRED: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.problems).toEqual([
      { variable: 'PORT', message: "must be an integer between 1 and 65535 (got 'abc')" },
      { variable: 'DATABASE_URL', message: 'is required' },
      { variable: 'AUTH_REQUIRED', message: "must be one of true/false, 1/0, yes/no (got 'maybe')" },
    ]);
    expect(configError.message).toBe(
      [
        'invalid configuration:',
        "  - PORT: must be an integer between 1 and 65535 (got 'abc')",
        '  - DATABASE_URL: is required',
        "  - AUTH_REQUIRED: must be one of true/false, 1/0, yes/no (got 'maybe')",
      ].join('\n'),
    );
  });

  it('reads process.env by default', () => {
    const name = `SC_TEST_${process.pid}_VALUE`;
    process.env[name] = '7';
    try {
      expect(loadConfig({ [name]: env.int() })[name]).toBe(7);
    } finally {
      delete process.env[name];
    }
  });

  it('provides the shared fragments with their defaults', () => {
    expect(loadConfig({ ...LOG_ENV, ...STORAGE_ENV }, {})).toEqual({
      LOG_LEVEL: 'info',
      STORAGE_BACKEND: 'local',
      STORAGE_BUCKET: 'sandcastle-data',
      STORAGE_ENDPOINT: undefined,
      STORAGE_LOCAL_DIR: '.sandcastle/storage',
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_REGION: undefined,
      STORAGE_PATH_STYLE: 'auto',
    });
    expect(() => loadConfig(STORAGE_ENV, { STORAGE_BACKEND: 'gcs', STORAGE_ENDPOINT: 'ftp://x' })).toThrow(
      /STORAGE_BACKEND: must be one of local, s3 \(got 'gcs'\)\n {2}- STORAGE_ENDPOINT: must be a URL with protocol http: or https:/,
    );
  });
});
