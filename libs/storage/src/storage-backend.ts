/**
 * Where large payloads live (step outputs, `on_complete.storage_path` results): one interface,
 * a local-filesystem and an S3/MinIO implementation. Paths are relative, `/`-separated keys
 * (see `normaliseStoragePath`); both backends accept and refuse exactly the same paths.
 */
export interface StoredObjectStream {
  stream: NodeJS.ReadableStream & { destroy(error?: Error): void };
  size: number;
}

export interface StorageBackend {
  readonly kind: 'local' | 's3';
  /** Writes the whole object; readers never see a partial write. */
  put(path: string, data: Buffer | string, contentType?: string): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(path: string): Promise<Buffer | null>;
  /** The object as a stream with its size (downloads: never the whole object in memory), or null. */
  open(path: string): Promise<StoredObjectStream | null>;
  exists(path: string): Promise<boolean>;
  /** Deleting a missing object is not an error. */
  delete(path: string): Promise<void>;
  /** Every key that starts with `prefix` (a string prefix, as in S3), sorted. */
  list(prefix: string): Promise<string[]>;
  /** True when the backend can currently be written to; never throws (for /health). */
  check(): Promise<boolean>;
}
