import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStorage } from './local-storage';
import { InvalidStoragePathError } from './storage-path';
import { describeStorageContract } from './testing/storage-contract';

let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sc-local-storage-'));
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('LocalStorage (contract)', () => {
  describeStorageContract(() => new LocalStorage(join(tmp, 'storage')));
});

describe('LocalStorage', () => {
  it('creates the base directory on first use and stores files at their key', async () => {
    const store = new LocalStorage(join(tmp, 'deep', 'storage'));
    await store.put('runs/r1/result.json', '{}');
    expect(await readFile(join(tmp, 'deep', 'storage', 'runs', 'r1', 'result.json'), 'utf8')).toBe('{}');
  });

  it('leaves no temporary files behind after writes', async () => {
    const store = new LocalStorage(join(tmp, 'storage'));
    await store.put('a/x.txt', '1');
    await store.put('a/x.txt', '2');
    expect(await readdir(join(tmp, 'storage', 'a'))).toEqual(['x.txt']);
  });

  describe('never leaves the base directory', () => {
    let store: LocalStorage;
    let base: string;

    beforeEach(async () => {
      base = join(tmp, 'storage');
      // A sibling whose name starts with the base's name: a string-prefix check lets it through.
      await mkdir(join(tmp, 'storage2'), { recursive: true });
      await writeFile(join(tmp, 'storage2', 'secret.txt'), 'sibling secret');
      await writeFile(join(tmp, 'outside.txt'), 'outside secret');
      await mkdir(base, { recursive: true });
      store = new LocalStorage(base);
    });

    it('refuses ../ paths into a sibling directory', async () => {
      await expect(store.get('../storage2/secret.txt')).rejects.toThrow(InvalidStoragePathError);
      await expect(store.put('../storage2/secret.txt', 'x')).rejects.toThrow(InvalidStoragePathError);
      expect(await readFile(join(tmp, 'storage2', 'secret.txt'), 'utf8')).toBe('sibling secret');
    });

    it('refuses to follow a symlinked directory into a sibling directory', async () => {
      await symlink(join(tmp, 'storage2'), join(base, 'link'));
      await expect(store.get('link/secret.txt')).rejects.toThrow('resolves outside the storage directory');
      await expect(store.exists('link/secret.txt')).rejects.toThrow(InvalidStoragePathError);
      await expect(store.put('link/new.txt', 'x')).rejects.toThrow(InvalidStoragePathError);
      await expect(store.put('link/sub/new.txt', 'x')).rejects.toThrow(InvalidStoragePathError);
      await expect(store.delete('link/secret.txt')).rejects.toThrow(InvalidStoragePathError);
      await expect(store.list('link/')).rejects.toThrow(InvalidStoragePathError);
      expect((await readdir(join(tmp, 'storage2'))).sort()).toEqual(['secret.txt']);
    });

    it('refuses to read or write through a symlinked file pointing outside', async () => {
      await symlink(join(tmp, 'outside.txt'), join(base, 'evil.txt'));
      await expect(store.get('evil.txt')).rejects.toThrow(InvalidStoragePathError);
      await expect(store.put('evil.txt', 'overwritten')).rejects.toThrow(InvalidStoragePathError);
      expect(await readFile(join(tmp, 'outside.txt'), 'utf8')).toBe('outside secret');
    });

    it('does not list symlinked entries', async () => {
      await symlink(join(tmp, 'storage2'), join(base, 'link'));
      await symlink(join(tmp, 'outside.txt'), join(base, 'evil.txt'));
      await store.put('real.txt', 'x');
      expect(await store.list('')).toEqual(['real.txt']);
    });

    it('follows symlinks that stay inside the base directory', async () => {
      await store.put('real/x.txt', 'inside');
      await symlink(join(base, 'real'), join(base, 'alias'));
      expect((await store.get('alias/x.txt'))?.toString()).toBe('inside');
    });
  });

  it('works when the base directory itself is a symlink', async () => {
    await mkdir(join(tmp, 'actual'));
    await symlink(join(tmp, 'actual'), join(tmp, 'storage'));
    const store = new LocalStorage(join(tmp, 'storage'));
    await store.put('k/v.txt', 'value');
    expect(await readFile(join(tmp, 'actual', 'k', 'v.txt'), 'utf8')).toBe('value');
    expect(await store.list('k/')).toEqual(['k/v.txt']);
  });

  it('reports an error when a key needs a directory where a file is', async () => {
    const store = new LocalStorage(join(tmp, 'storage'));
    await store.put('a', 'file');
    await expect(store.put('a/b', 'x')).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect((await store.get('a'))?.toString()).toBe('file');
  });

  it('is unhealthy when the base directory cannot be created, and recovers once it can', async () => {
    await writeFile(join(tmp, 'blocker'), 'a file where a directory should be');
    const store = new LocalStorage(join(tmp, 'blocker', 'storage'));
    expect(await store.check()).toBe(false);
    await expect(store.put('x.txt', 'x')).rejects.toThrow(/ENOTDIR|EEXIST/);
    await rm(join(tmp, 'blocker'));
    expect(await store.check()).toBe(true);
  });
});
