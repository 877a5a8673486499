import { EXECUTOR_SECRETS, loadExecutorConfig } from './executor.config';

describe('loadExecutorConfig: storage', () => {
  it('uses the local backend by default and masks the S3 secret in logs', () => {
    expect(loadExecutorConfig({})).toMatchObject({
      STORAGE_BACKEND: 'local',
      MAX_RUNTIME_FILE_BYTES: 52_428_800,
    });
    expect(EXECUTOR_SECRETS).toContain('AWS_SECRET_ACCESS_KEY');
  });

  it('stops the boot when the storage variables cannot work, naming them', () => {
    expect(() => loadExecutorConfig({ STORAGE_BACKEND: 's3', AWS_SECRET_ACCESS_KEY: 's' })).toThrow(
      'STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  });
});
