export class InvalidStoragePathError extends Error {
  constructor(path: string, reason: string) {
    super(`invalid storage path ${JSON.stringify(path)}: ${reason}`);
    this.name = 'InvalidStoragePathError';
  }
}

/**
 * The one gate every key passes, whatever the backend. Keys come from workflow YAML
 * (`on_complete.storage_path`, `{storage.PATH}`), i.e. from tenants, so anything that could
 * name a place outside the store is refused rather than repaired: absolute paths (`/x`, `C:x`),
 * `..` segments (even `a/../b`), backslashes and NUL. Harmless noise is collapsed:
 * `a//b/./c/` → `a/b/c`.
 */
export function normaliseStoragePath(path: string): string {
  if (path.includes('\0')) throw new InvalidStoragePathError(path, 'contains a NUL character');
  if (path.includes('\\')) throw new InvalidStoragePathError(path, 'contains a backslash');
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) {
    throw new InvalidStoragePathError(path, 'must be relative');
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new InvalidStoragePathError(path, "must not contain '..'");
  if (segments.length === 0) throw new InvalidStoragePathError(path, 'is empty');
  return segments.join('/');
}

/** Like `normaliseStoragePath`, but `''` (everything) is allowed and a trailing `/` is kept. */
export function normaliseStoragePrefix(prefix: string): string {
  if (prefix === '') return '';
  const normalised = normaliseStoragePath(prefix);
  return prefix.endsWith('/') ? `${normalised}/` : normalised;
}
