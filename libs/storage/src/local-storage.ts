import { randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import {
  access,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { StorageBackend, StoredObjectStream } from './storage-backend';
import { InvalidStoragePathError, normaliseStoragePath, normaliseStoragePrefix } from './storage-path';

/** Names of in-progress writes; never listed. */
const TMP_PREFIX = '.sc-tmp-';

const errorCode = (err: unknown): unknown => (err as NodeJS.ErrnoException | undefined)?.code;
const isMissing = (err: unknown): boolean => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes(String(errorCode(err)));

/** `candidate` is `root` or below it. A path comparison, not a string prefix: `/data2` is not in `/data`. */
function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Objects as files under `baseDir` (created on first use). A key can never reach outside it:
 * keys are normalised (no `..`, no absolute paths), and before any access the deepest existing
 * part of the path is resolved through symlinks and must still be inside the real base
 * directory. Writes go to a temporary file that is renamed into place, so readers see the old
 * or the new object, never half of one; the rename also replaces a symlink rather than
 * writing through it. `contentType` is not stored: files have no metadata.
 */
export class LocalStorage implements StorageBackend {
  readonly kind = 'local';
  private readonly baseDir: string;
  private root?: Promise<string>;

  constructor(baseDir: string) {
    this.baseDir = resolve(baseDir);
  }

  async put(path: string, data: Buffer | string, _contentType?: string): Promise<void> {
    const target = await this.confine(normaliseStoragePath(path));
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `${TMP_PREFIX}${randomUUID()}`);
    try {
      await writeFile(tmp, data, { flag: 'wx' });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(path: string): Promise<Buffer | null> {
    const target = await this.confine(normaliseStoragePath(path));
    try {
      return await readFile(target);
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async open(path: string): Promise<StoredObjectStream | null> {
    const target = await this.confine(normaliseStoragePath(path));
    try {
      const info = await stat(target);
      if (!info.isFile()) return null;
      return { stream: createReadStream(target), size: info.size };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async exists(path: string): Promise<boolean> {
    const target = await this.confine(normaliseStoragePath(path));
    try {
      return (await stat(target)).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async delete(path: string): Promise<void> {
    const target = await this.confine(normaliseStoragePath(path));
    try {
      await unlink(target);
    } catch (err) {
      // A directory is not an object either: nothing to delete.
      if (!isMissing(err) && errorCode(err) !== 'EPERM') throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const wanted = normaliseStoragePrefix(prefix);
    const root = await this.realRoot();
    const slash = wanted.lastIndexOf('/');
    const start = slash > 0 ? await this.confine(wanted.slice(0, slash)) : root;
    const keys: string[] = [];
    await this.walk(root, start, keys);
    return keys.filter((key) => key.startsWith(wanted)).sort();
  }

  async check(): Promise<boolean> {
    try {
      await access(await this.realRoot(), constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  /** Regular files only; symlinked entries are skipped, so a walk can neither loop nor escape. */
  private async walk(root: string, dir: string, keys: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(root, full, keys);
      else if (entry.isFile() && !entry.name.startsWith(TMP_PREFIX)) {
        keys.push(relative(root, full).split(sep).join('/'));
      }
    }
  }

  /** The real (symlink-free) base directory, created on first use; retried after a failure. */
  private realRoot(): Promise<string> {
    this.root ??= mkdir(this.baseDir, { recursive: true })
      .then(() => realpath(this.baseDir))
      .catch((err: unknown) => {
        this.root = undefined;
        throw err;
      });
    return this.root;
  }

  /** The file path for a normalised key, after checking that it resolves inside the base. */
  private async confine(key: string): Promise<string> {
    const root = await this.realRoot();
    const target = join(root, key);
    for (let probe = target; ; probe = dirname(probe)) {
      let real: string;
      try {
        real = await realpath(probe);
      } catch (err) {
        if (isMissing(err) && probe !== root) continue;
        throw err;
      }
      if (!isInside(root, real))
        throw new InvalidStoragePathError(key, 'resolves outside the storage directory');
      return target;
    }
  }
}
