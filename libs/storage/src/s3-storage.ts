import { Client, type BucketItem } from 'minio';
import type { StorageBackend, StoredObjectStream } from './storage-backend';
import { normaliseStoragePath, normaliseStoragePrefix } from './storage-path';

export interface S3StorageOptions {
  /** Host name only, e.g. `minio` or `s3.amazonaws.com`. */
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region?: string;
  /** `host/bucket/key` URLs instead of `bucket.host/key`: needed for MinIO and most S3 clones. */
  pathStyle?: boolean;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound']);
const errorCode = (err: unknown): unknown => (err as { code?: unknown } | undefined)?.code;

/**
 * Objects in one S3 bucket through the `minio` client (AWS S3, MinIO, any S3-compatible
 * store). The bucket is created on first use if missing, so a fresh MinIO needs no setup step.
 */
export class S3Storage implements StorageBackend {
  readonly kind = 's3';
  private readonly client: Client;
  private bucketReady?: Promise<void>;

  constructor(private readonly options: S3StorageOptions) {
    this.client = new Client({
      endPoint: options.endPoint,
      port: options.port,
      useSSL: options.useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: options.pathStyle,
    });
  }

  async put(path: string, data: Buffer | string, contentType?: string): Promise<void> {
    const key = normaliseStoragePath(path);
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await this.ensureBucket();
    await this.client.putObject(
      this.options.bucket,
      key,
      body,
      body.length,
      contentType ? { 'Content-Type': contentType } : {},
    );
  }

  async get(path: string): Promise<Buffer | null> {
    const key = normaliseStoragePath(path);
    await this.ensureBucket();
    try {
      const stream = await this.client.getObject(this.options.bucket, key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (err) {
      if (NOT_FOUND.has(String(errorCode(err)))) return null;
      throw err;
    }
  }

  async open(path: string): Promise<StoredObjectStream | null> {
    const key = normaliseStoragePath(path);
    await this.ensureBucket();
    try {
      const { size } = await this.client.statObject(this.options.bucket, key);
      return { stream: await this.client.getObject(this.options.bucket, key), size };
    } catch (err) {
      if (NOT_FOUND.has(String(errorCode(err)))) return null;
      throw err;
    }
  }

  async exists(path: string): Promise<boolean> {
    const key = normaliseStoragePath(path);
    await this.ensureBucket();
    try {
      await this.client.statObject(this.options.bucket, key);
      return true;
    } catch (err) {
      if (NOT_FOUND.has(String(errorCode(err)))) return false;
      throw err;
    }
  }

  async delete(path: string): Promise<void> {
    const key = normaliseStoragePath(path);
    await this.ensureBucket();
    // S3 answers 204 for a missing key as well.
    await this.client.removeObject(this.options.bucket, key);
  }

  async list(prefix: string): Promise<string[]> {
    const wanted = normaliseStoragePrefix(prefix);
    await this.ensureBucket();
    const keys: string[] = [];
    const items = this.client.listObjectsV2(this.options.bucket, wanted, true) as AsyncIterable<BucketItem>;
    for await (const item of items) {
      if (item.name !== undefined) keys.push(item.name);
    }
    return keys.sort();
  }

  /**
   * Asks the server every time (a health probe must notice an outage after a good start), and
   * creates the bucket again if it went missing.
   */
  async check(): Promise<boolean> {
    try {
      if (await this.client.bucketExists(this.options.bucket)) return true;
      this.bucketReady = undefined;
      await this.ensureBucket();
      return true;
    } catch {
      return false;
    }
  }

  /** Once per instance when it succeeds; a failure (store down at boot) is retried next call. */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= this.createBucketIfMissing().catch((err: unknown) => {
      this.bucketReady = undefined;
      throw err;
    });
    return this.bucketReady;
  }

  private async createBucketIfMissing(): Promise<void> {
    const { bucket, region } = this.options;
    if (await this.client.bucketExists(bucket)) return;
    try {
      await this.client.makeBucket(bucket, region ?? '');
    } catch (err) {
      // Another replica may have created it between our two calls. Servers disagree on the
      // error for that (BucketAlreadyOwnedByYou, BucketAlreadyExists), so ask again instead.
      if (!(await this.client.bucketExists(bucket).catch(() => false))) throw err;
    }
  }
}
