import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import S3rver from 's3rver';
import { S3Storage, type S3StorageOptions } from './s3-storage';
import { describeStorageContract } from './testing/storage-contract';

/**
 * Against a real S3 HTTP server (s3rver) started here on a free port, with its own directory
 * and a fresh bucket per test; the minio client talks to it exactly as it talks to MinIO.
 */
let server: S3rver;
let dir: string;
let port: number;

const optionsFor = (bucket: string, overrides: Partial<S3StorageOptions> = {}): S3StorageOptions => ({
  endPoint: '127.0.0.1',
  port,
  useSSL: false,
  accessKey: 'S3RVER',
  secretKey: 'S3RVER',
  bucket,
  region: 'us-east-1',
  pathStyle: true,
  ...overrides,
});
const freshBucket = (): string => `sc-test-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sc-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true });
  ({ port } = await server.run());
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('S3Storage (contract)', () => {
  describeStorageContract(() => new S3Storage(optionsFor(freshBucket())));
});

describe('S3Storage', () => {
  let admin: Client;

  beforeAll(() => {
    admin = new Client({
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      pathStyle: true,
      region: 'us-east-1',
    });
  });

  it('creates its bucket on first use', async () => {
    const bucket = freshBucket();
    const store = new S3Storage(optionsFor(bucket));
    expect(await admin.bucketExists(bucket)).toBe(false);
    await store.put('first.txt', 'hello');
    expect(await admin.bucketExists(bucket)).toBe(true);
    expect((await admin.statObject(bucket, 'first.txt')).size).toBe(5);
  });

  it('lets several instances create the same bucket at once', async () => {
    const bucket = freshBucket();
    const stores = [1, 2, 3].map(() => new S3Storage(optionsFor(bucket)));
    await Promise.all(stores.map((store, i) => store.put(`k${i}.txt`, String(i))));
    expect(await stores[0]!.list('')).toEqual(['k0.txt', 'k1.txt', 'k2.txt']);
  });

  it('uses an existing bucket and sees objects written by others', async () => {
    const bucket = freshBucket();
    await admin.makeBucket(bucket);
    await admin.putObject(bucket, 'shared/from-elsewhere.json', Buffer.from('{"a":1}'));
    const store = new S3Storage(optionsFor(bucket));
    expect((await store.get('shared/from-elsewhere.json'))?.toString()).toBe('{"a":1}');
  });

  it('stores the content type', async () => {
    const bucket = freshBucket();
    const store = new S3Storage(optionsFor(bucket));
    await store.put('out.json', '{}', 'application/json');
    const stat = await admin.statObject(bucket, 'out.json');
    expect(stat.metaData['content-type']).toBe('application/json');
  });

  it('is unhealthy while the server cannot be reached', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const store = new S3Storage(optionsFor(freshBucket(), { port: closed }));
    expect(await store.check()).toBe(false);
    await expect(store.get('x')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('is unhealthy with unknown credentials', async () => {
    // s3rver checks the access key but not v4 signatures, so the key is what is wrong here.
    const store = new S3Storage(optionsFor(freshBucket(), { accessKey: 'NOT-A-KEY' }));
    expect(await store.check()).toBe(false);
    await expect(store.put('x', 'x')).rejects.toThrow('Valid and authorized credentials required');
  });
});
