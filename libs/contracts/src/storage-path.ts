/** A storage path a tenant wrote (or a template rendered) that could leave its place: refused. */
export class InvalidStoragePathError extends Error {
  readonly code = 'STORAGE_PATH_INVALID';
  constructor(path: string, reason: string) {
    super(
      `invalid storage path ${JSON.stringify(path.length > 200 ? `${path.slice(0, 197)}...` : path)}: ${reason}`,
    );
    this.name = 'InvalidStoragePathError';
  }
}

/** Longest key a tenant may name (S3 allows 1024 bytes; the tenant prefix takes the rest). */
export const MAX_STORAGE_PATH_LENGTH = 512;

/**
 * The one gate every key passes, whatever the backend. Keys come from workflow YAML
 * (`on_complete.storage_path`, `storage_write`, `{storage.PATH}`), i.e. from tenants, so anything
 * that could name a place outside the store is refused rather than repaired: absolute paths
 * (`/x`, `C:x`), `..` segments (even `a/../b`), backslashes, NUL and other control characters,
 * and percent-encoded separators, dots or NUL (`%2F`, `%5C`, `%2E`, `%00`: an S3 gateway or a
 * proxy may decode them). Harmless noise is collapsed: `a//b/./c/` → `a/b/c`.
 * Pure (no I/O): the workflow validator, the engine and both backends share it.
 */
export function normaliseStoragePath(path: string): string {
  if (path.includes('\0')) throw new InvalidStoragePathError(path, 'contains a NUL character');
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(path))
    throw new InvalidStoragePathError(path, 'contains a control character');
  if (path.includes('\\')) throw new InvalidStoragePathError(path, 'contains a backslash');
  if (/%(2f|5c|2e|00)/i.test(path)) {
    throw new InvalidStoragePathError(path, 'contains a percent-encoded separator, dot or NUL');
  }
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) {
    throw new InvalidStoragePathError(path, 'must be relative');
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new InvalidStoragePathError(path, "must not contain '..'");
  if (segments.length === 0) throw new InvalidStoragePathError(path, 'is empty');
  const normalised = segments.join('/');
  if (normalised.length > MAX_STORAGE_PATH_LENGTH) {
    throw new InvalidStoragePathError(path, `is longer than ${MAX_STORAGE_PATH_LENGTH} characters`);
  }
  return normalised;
}

/** Like `normaliseStoragePath`, but `''` (everything) is allowed and a trailing `/` is kept. */
export function normaliseStoragePrefix(prefix: string): string {
  if (prefix === '') return '';
  const normalised = normaliseStoragePath(prefix);
  return prefix.endsWith('/') ? `${normalised}/` : normalised;
}
