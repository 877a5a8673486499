import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, s3OptionsFromConfig, StorageConfigError } from './create-storage';
import { LocalStorage } from './local-storage';
import { S3Storage } from './s3-storage';

const keys = { AWS_ACCESS_KEY_ID: 'minioadmin', AWS_SECRET_ACCESS_KEY: 'minio-secret' };

describe('createStorage', () => {
  it('builds a working local backend in STORAGE_LOCAL_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sc-create-storage-'));
    try {
      const store = createStorage({
        STORAGE_BACKEND: 'local',
        STORAGE_BUCKET: 'ignored',
        STORAGE_LOCAL_DIR: dir,
      });
      expect(store).toBeInstanceOf(LocalStorage);
      expect(store.kind).toBe('local');
      await store.put('x/y.txt', 'hello');
      expect(await readFile(join(dir, 'x', 'y.txt'), 'utf8')).toBe('hello');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds an S3 backend without touching the network', () => {
    const store = createStorage({
      STORAGE_BACKEND: 's3',
      STORAGE_BUCKET: 'sandcastle-data',
      STORAGE_ENDPOINT: 'http://localhost:9000',
      ...keys,
    });
    expect(store).toBeInstanceOf(S3Storage);
    expect(store.kind).toBe('s3');
  });

  it('refuses s3 without credentials, naming the variables', () => {
    expect(() =>
      createStorage({ STORAGE_BACKEND: 's3', STORAGE_BUCKET: 'b', AWS_ACCESS_KEY_ID: 'k' }),
    ).toThrow(new StorageConfigError('STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'));
  });
});

describe('s3OptionsFromConfig', () => {
  const base = { STORAGE_BACKEND: 's3' as const, STORAGE_BUCKET: 'sandcastle-data', ...keys };
  const credentials = { accessKey: 'minioadmin', secretKey: 'minio-secret', bucket: 'sandcastle-data' };

  it('reads a MinIO endpoint: host, port, no TLS, path-style, us-east-1', () => {
    expect(s3OptionsFromConfig({ ...base, STORAGE_ENDPOINT: 'http://localhost:9000' })).toEqual({
      ...credentials,
      endPoint: 'localhost',
      port: 9000,
      useSSL: false,
      pathStyle: true,
      region: 'us-east-1',
    });
  });

  it('reads an https endpoint without a port, and a configured region', () => {
    expect(
      s3OptionsFromConfig({ ...base, STORAGE_ENDPOINT: 'https://s3.example.com/', AWS_REGION: 'eu-west-1' }),
    ).toEqual({
      ...credentials,
      endPoint: 's3.example.com',
      port: undefined,
      useSSL: true,
      pathStyle: true,
      region: 'eu-west-1',
    });
  });

  it('targets AWS S3 when no endpoint is set', () => {
    expect(s3OptionsFromConfig(base)).toEqual({
      ...credentials,
      endPoint: 's3.amazonaws.com',
      useSSL: true,
      pathStyle: false,
      region: undefined,
    });
  });

  it('lets STORAGE_PATH_STYLE force either URL style', () => {
    const endpoint = { ...base, STORAGE_ENDPOINT: 'https://s3.eu-central-1.amazonaws.com' };
    expect(s3OptionsFromConfig({ ...endpoint, STORAGE_PATH_STYLE: 'false' }).pathStyle).toBe(false);
    expect(s3OptionsFromConfig({ ...endpoint, STORAGE_PATH_STYLE: 'auto' }).pathStyle).toBe(true);
    expect(s3OptionsFromConfig({ ...base, STORAGE_PATH_STYLE: 'true' }).pathStyle).toBe(true);
  });

  it.each(['localhost:9000', 'ftp://host', 'http://host:9000/bucket'])(
    'refuses the endpoint %p',
    (endpoint) => {
      expect(() => s3OptionsFromConfig({ ...base, STORAGE_ENDPOINT: endpoint })).toThrow(
        `STORAGE_ENDPOINT must look like http(s)://host[:port], without a path (got '${endpoint}')`,
      );
    },
  );
});
