import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStorage } from './local-storage';
import { ResilientStorage, StorageUnavailableError, type StorageObserver } from './resilient-storage';
import { InvalidStoragePathError } from './storage-path';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sc-resilient-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function recorder(): StorageObserver & { seen: string[] } {
  const seen: string[] = [];
  return { seen, operation: (op, outcome, _s, bytes) => void seen.push(`${op}:${outcome}:${bytes}`) };
}

describe('ResilientStorage', () => {
  it('passes operations through and reports them with their bytes', async () => {
    const seen = recorder();
    const store = new ResilientStorage(new LocalStorage(join(tmp, 's')), undefined, seen);
    await store.put('a/b.txt', 'hello');
    expect((await store.get('a/b.txt'))?.toString()).toBe('hello');
    expect(seen.seen).toEqual(['put:ok:5', 'get:ok:5']);
  });

  it('retries with backoff and succeeds once the store recovers', async () => {
    // A file where the base directory should be: writes fail until it is removed.
    await writeFile(join(tmp, 'blocked'), 'x');
    const seen = recorder();
    const store = new ResilientStorage(
      new LocalStorage(join(tmp, 'blocked', 'store')),
      { attempts: 5, baseDelayMs: 40, timeoutMs: 1000 },
      seen,
    );
    setTimeout(() => void rm(join(tmp, 'blocked')), 60);
    await store.put('x.txt', 'ok');
    expect((await store.get('x.txt'))?.toString()).toBe('ok');
    expect(seen.seen[0]).toBe('put:retried:2');
  });

  it('gives up after its tries with StorageUnavailableError naming the operation', async () => {
    await writeFile(join(tmp, 'blocked'), 'x');
    const seen = recorder();
    const store = new ResilientStorage(
      new LocalStorage(join(tmp, 'blocked', 'store')),
      { attempts: 3, baseDelayMs: 1, timeoutMs: 1000 },
      seen,
    );
    await expect(store.put('x.txt', 'x')).rejects.toThrow(StorageUnavailableError);
    await expect(store.put('x.txt', 'x')).rejects.toThrow(
      /^storage put failed after 3 tries \((ENOTDIR|EEXIST)\)$/,
    );
    expect(seen.seen).toEqual(['put:failed:0', 'put:failed:0']);
  });

  it('never retries a refused path', async () => {
    const seen = recorder();
    const store = new ResilientStorage(
      new LocalStorage(join(tmp, 's')),
      { attempts: 3, baseDelayMs: 1000, timeoutMs: 1000 },
      seen,
    );
    const started = Date.now();
    await expect(store.get('../x')).rejects.toThrow(InvalidStoragePathError);
    expect(Date.now() - started).toBeLessThan(500);
    expect(seen.seen).toEqual([]);
  });

  it('counts a try that hangs past its timeout as failed', async () => {
    const hanging = new LocalStorage(join(tmp, 's'));
    hanging.get = () => new Promise(() => undefined);
    const store = new ResilientStorage(hanging, { attempts: 2, baseDelayMs: 1, timeoutMs: 30 });
    await expect(store.get('x')).rejects.toThrow('storage get failed after 2 tries (timeout)');
  });
});
