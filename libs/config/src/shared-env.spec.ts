import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { retentionByTenant, STORAGE_ENV, STORAGE_RETENTION_ENV } from './shared-env';

describe('storage variables', () => {
  it('defaults to the local backend under .sandcastle/storage and keeps artifacts forever', () => {
    expect(loadConfig({ ...STORAGE_ENV, ...STORAGE_RETENTION_ENV }, {})).toMatchObject({
      STORAGE_BACKEND: 'local',
      STORAGE_LOCAL_DIR: '.sandcastle/storage',
      STORAGE_RETENTION_DAYS: 0,
      STORAGE_RETENTION_DAYS_BY_TENANT: undefined,
      STORAGE_SWEEP_INTERVAL_MS: 3_600_000,
    });
  });

  it('names a bad retention value', () => {
    expect(() => loadConfig(STORAGE_RETENTION_ENV, { STORAGE_RETENTION_DAYS: '-1' })).toThrow(
      /STORAGE_RETENTION_DAYS: must be an integer between 0 and 36500/,
    );
  });
});

describe('retentionByTenant', () => {
  it('reads tenant=days pairs', () => {
    expect(retentionByTenant(' acme=7, bigco = 365 ,keep=0')).toEqual({ acme: 7, bigco: 365, keep: 0 });
    expect(retentionByTenant(undefined)).toEqual({});
    expect(retentionByTenant('')).toEqual({});
  });

  it.each(['acme', 'acme=x', 'acme=7,', '=7', 'acme=99999'])(
    'stops the boot for %p, naming the variable',
    (raw) => {
      expect(() => retentionByTenant(raw)).toThrow(ConfigError);
      expect(() => retentionByTenant(raw)).toThrow(
        /STORAGE_RETENTION_DAYS_BY_TENANT: must be a comma-separated list of tenant=days/,
      );
    },
  );
});
