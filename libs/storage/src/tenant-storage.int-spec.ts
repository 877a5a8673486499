import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { LocalStorage } from './local-storage';
import { ResilientStorage } from './resilient-storage';
import { S3Storage } from './s3-storage';
import type { StorageBackend } from './storage-backend';
import { InvalidStoragePathError } from './storage-path';
import { dataKey, runObjectKey, tenantPrefix } from './tenant-layout';

/**
 * Tenant isolation and traversal through the tenant layout, on both backends: a real S3 HTTP
 * server (s3rver) started here, and a local directory.
 */
let server: S3rver;
let dir: string;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sc-tenant-storage-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, directory: join(dir, 's3'), silent: true });
  ({ port } = await server.run());
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const backends: [string, () => StorageBackend][] = [
  ['local', () => new LocalStorage(join(dir, `local-${randomUUID()}`))],
  [
    's3',
    () =>
      new S3Storage({
        endPoint: '127.0.0.1',
        port,
        useSSL: false,
        accessKey: 'S3RVER',
        secretKey: 'S3RVER',
        bucket: `sc-tenants-${randomUUID().slice(0, 8)}`,
        region: 'us-east-1',
        pathStyle: true,
      }),
  ],
];

describe.each(backends)('tenant storage on %s', (_name, make) => {
  let store: ResilientStorage;
  beforeEach(() => {
    store = new ResilientStorage(make(), { attempts: 2, baseDelayMs: 10, timeoutMs: 5000 });
  });

  it('round-trips a tenant path, and the same path of another tenant is another object', async () => {
    await store.put(dataKey('acme', 'memory/notes.md'), 'acme notes', 'text/markdown');
    await store.put(dataKey('globex', 'memory/notes.md'), 'globex notes');
    expect((await store.get(dataKey('acme', 'memory/notes.md')))?.toString()).toBe('acme notes');
    expect((await store.get(dataKey('globex', 'memory/notes.md')))?.toString()).toBe('globex notes');
    expect(await store.list(tenantPrefix('acme'))).toEqual(['tenants/acme/data/memory/notes.md']);
  });

  it('round-trips a 20 MB binary run object', async () => {
    const bytes = Buffer.alloc(20_000_000);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    const key = runObjectKey('acme', 'r1', 'file.make.a1.out.bin');
    await store.put(key, bytes, 'application/octet-stream');
    expect((await store.get(key))?.equals(bytes)).toBe(true);
  });

  it.each([
    '../globex/data/memory/notes.md',
    '../../tenants/globex/data/memory/notes.md',
    '/tenants/globex/data/memory/notes.md',
    'memory\\..\\..\\globex',
    'memory/%2e%2e/%2e%2e/globex',
    'memory/..%2F..%2Fglobex',
    'memory/\0/x',
  ])("cannot reach another tenant's object through %p", async (path) => {
    await store.put(dataKey('globex', 'memory/notes.md'), 'globex secret');
    expect(() => dataKey('acme', path)).toThrow(InvalidStoragePathError);
    // A raw key built by hand is refused by the backend itself, or stays inside acme's prefix.
    const raw = await store.get(`tenants/acme/data/${path}`).catch((err: unknown) => err);
    expect(raw === null || raw instanceof InvalidStoragePathError).toBe(true);
    expect((await store.get(dataKey('globex', 'memory/notes.md')))?.toString()).toBe('globex secret');
  });
});
