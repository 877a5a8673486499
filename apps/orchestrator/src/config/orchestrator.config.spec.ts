import { loadOrchestratorConfig } from './orchestrator.config';

describe('loadOrchestratorConfig: storage', () => {
  it('reads the storage and retention variables', () => {
    expect(
      loadOrchestratorConfig({
        STORAGE_BACKEND: 's3',
        STORAGE_ENDPOINT: 'http://minio:9000',
        AWS_ACCESS_KEY_ID: 'k',
        AWS_SECRET_ACCESS_KEY: 's',
        STORAGE_RETENTION_DAYS: '30',
        STORAGE_RETENTION_DAYS_BY_TENANT: 'acme=7',
      }),
    ).toMatchObject({
      STORAGE_BACKEND: 's3',
      STORAGE_RETENTION_DAYS: 30,
      STORAGE_RETENTION_DAYS_BY_TENANT: 'acme=7',
    });
  });

  it('stops the boot for storage that cannot work or a malformed retention list, naming the variable', () => {
    expect(() => loadOrchestratorConfig({ STORAGE_BACKEND: 's3', AWS_ACCESS_KEY_ID: 'k' })).toThrow(
      'STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(() => loadOrchestratorConfig({ STORAGE_BACKEND: 'gcs' })).toThrow(
      /STORAGE_BACKEND: must be one of local, s3/,
    );
    expect(() => loadOrchestratorConfig({ STORAGE_RETENTION_DAYS_BY_TENANT: 'acme:7' })).toThrow(
      /STORAGE_RETENTION_DAYS_BY_TENANT/,
    );
  });
});
