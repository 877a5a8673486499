import { InvalidStoragePathError } from '../storage-path';
import type { StorageBackend } from '../storage-backend';

/**
 * The behaviour callers rely on, whatever the backend: each backend's test file runs these
 * against a real instance (a temp directory, an S3 server). `make` gives a fresh, empty store.
 */
export function describeStorageContract(make: () => StorageBackend | Promise<StorageBackend>): void {
  let store: StorageBackend;

  beforeEach(async () => {
    store = await make();
  });

  it('stores and returns text and binary objects', async () => {
    const binary = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0a, 0x0d]);
    await store.put('runs/r1/output.json', '{"ok":true,"text":"héllo ✓"}', 'application/json');
    await store.put('runs/r1/blob.bin', binary);
    expect((await store.get('runs/r1/output.json'))?.toString('utf8')).toBe('{"ok":true,"text":"héllo ✓"}');
    expect((await store.get('runs/r1/blob.bin'))?.equals(binary)).toBe(true);
  });

  it('streams an object with its size, and answers null for a missing one', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    await store.put('runs/r1/big.bin', body);
    const opened = await store.open('runs/r1/big.bin');
    expect(opened?.size).toBe(body.length);
    const chunks: Buffer[] = [];
    for await (const chunk of opened!.stream) chunks.push(Buffer.from(chunk as Buffer));
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    expect(await store.open('runs/r1/none.bin')).toBeNull();
    expect(await store.open('runs/r1')).toBeNull();
    await expect(store.open('../x')).rejects.toThrow(InvalidStoragePathError);
  });

  it('stores empty objects', async () => {
    await store.put('empty.txt', '');
    expect(await store.exists('empty.txt')).toBe(true);
    expect((await store.get('empty.txt'))?.length).toBe(0);
  });

  it('answers null / false for missing objects', async () => {
    expect(await store.get('nothing/here.json')).toBeNull();
    expect(await store.exists('nothing/here.json')).toBe(false);
  });

  it('overwrites an object with a new put', async () => {
    await store.put('a.txt', 'first version, longer');
    await store.put('a.txt', 'second');
    expect((await store.get('a.txt'))?.toString()).toBe('second');
  });

  it('deletes objects and accepts deleting what is missing', async () => {
    await store.put('d/x.txt', 'x');
    expect(await store.exists('d/x.txt')).toBe(true);
    await store.delete('d/x.txt');
    expect(await store.exists('d/x.txt')).toBe(false);
    expect(await store.get('d/x.txt')).toBeNull();
    await expect(store.delete('d/x.txt')).resolves.toBeUndefined();
    await expect(store.delete('never/existed')).resolves.toBeUndefined();
  });

  it('does not treat a "directory" as an object', async () => {
    await store.put('dir/inner.txt', 'x');
    expect(await store.exists('dir')).toBe(false);
    expect(await store.get('dir')).toBeNull();
  });

  it('lists keys by string prefix, sorted', async () => {
    for (const key of ['runs/r1/b.json', 'runs/r1/a.json', 'runs/r10/c.json', 'other/x.txt', 'top.txt']) {
      await store.put(key, key);
    }
    expect(await store.list('runs/r1/')).toEqual(['runs/r1/a.json', 'runs/r1/b.json']);
    expect(await store.list('runs/r1')).toEqual(['runs/r1/a.json', 'runs/r1/b.json', 'runs/r10/c.json']);
    expect(await store.list('runs/r1/a')).toEqual(['runs/r1/a.json']);
    expect(await store.list('')).toEqual([
      'other/x.txt',
      'runs/r1/a.json',
      'runs/r1/b.json',
      'runs/r10/c.json',
      'top.txt',
    ]);
    expect(await store.list('t')).toEqual(['top.txt']);
    expect(await store.list('missing/')).toEqual([]);
  });

  it('normalises keys the same way on write and read', async () => {
    await store.put('a//b/./c.txt', 'c');
    expect((await store.get('a/b/c.txt'))?.toString()).toBe('c');
    expect(await store.exists('./a/b//c.txt')).toBe(true);
    expect(await store.list('a//b/')).toEqual(['a/b/c.txt']);
  });

  it.each([
    '../escape.txt',
    'a/../../escape.txt',
    'a/../b',
    '/etc/passwd',
    'C:/x',
    'a\\b',
    'a\0b',
    '',
    '.',
    './/',
  ])('refuses the key %p on every operation', async (key) => {
    await expect(store.put(key, 'x')).rejects.toThrow(InvalidStoragePathError);
    await expect(store.get(key)).rejects.toThrow(InvalidStoragePathError);
    await expect(store.exists(key)).rejects.toThrow(InvalidStoragePathError);
    await expect(store.delete(key)).rejects.toThrow(InvalidStoragePathError);
  });

  it('refuses prefixes that could leave the store', async () => {
    await expect(store.list('../')).rejects.toThrow(InvalidStoragePathError);
    await expect(store.list('/')).rejects.toThrow(InvalidStoragePathError);
  });

  it('reports itself healthy', async () => {
    expect(await store.check()).toBe(true);
  });
}
