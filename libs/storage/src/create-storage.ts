import { LocalStorage } from './local-storage';
import { S3Storage, type S3StorageOptions } from './s3-storage';
import type { StorageBackend } from './storage-backend';

/** The storage variables, as validated by `STORAGE_ENV` in @sandcastle/config. */
export interface StorageConfig {
  STORAGE_BACKEND: 'local' | 's3';
  STORAGE_BUCKET: string;
  /** S3-compatible endpoint, e.g. `http://minio:9000`; unset means AWS S3. */
  STORAGE_ENDPOINT?: string;
  /** Base directory of the local backend. Default `.sandcastle/storage`. */
  STORAGE_LOCAL_DIR?: string;
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
  /** Region of the bucket; for AWS, leaving it unset makes the client look it up. */
  AWS_REGION?: string;
  /** `auto` (default): path-style with an endpoint, virtual-host without; `true` / `false` force it. */
  STORAGE_PATH_STYLE?: 'auto' | 'true' | 'false';
}

export const DEFAULT_LOCAL_STORAGE_DIR = '.sandcastle/storage';

/** Thrown at boot when the storage variables cannot work together. */
export class StorageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageConfigError';
  }
}

/**
 * S3 client options from the variables. With `STORAGE_ENDPOINT` (MinIO and other S3 clones)
 * requests use path-style URLs and, unless `AWS_REGION` says otherwise, region `us-east-1`,
 * MinIO's default; without it the target is AWS S3 with virtual-host URLs.
 */
export function s3OptionsFromConfig(cfg: StorageConfig): S3StorageOptions {
  const { AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey } = cfg;
  if (!accessKey || !secretKey) {
    throw new StorageConfigError('STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  const base = { accessKey, secretKey, bucket: cfg.STORAGE_BUCKET };
  const forced =
    cfg.STORAGE_PATH_STYLE === 'true' ? true : cfg.STORAGE_PATH_STYLE === 'false' ? false : undefined;
  if (!cfg.STORAGE_ENDPOINT) {
    return {
      ...base,
      endPoint: 's3.amazonaws.com',
      useSSL: true,
      pathStyle: forced ?? false,
      region: cfg.AWS_REGION,
    };
  }
  let url: URL | undefined;
  try {
    url = new URL(cfg.STORAGE_ENDPOINT);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.pathname.replace(/\/+$/, '') !== '') {
    throw new StorageConfigError(
      `STORAGE_ENDPOINT must look like http(s)://host[:port], without a path (got '${cfg.STORAGE_ENDPOINT}')`,
    );
  }
  return {
    ...base,
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: url.protocol === 'https:',
    pathStyle: forced ?? true,
    region: cfg.AWS_REGION ?? 'us-east-1',
  };
}

/** The backend the variables select. Throws `StorageConfigError` when they cannot work. */
export function createStorage(cfg: StorageConfig): StorageBackend {
  switch (cfg.STORAGE_BACKEND) {
    case 'local':
      return new LocalStorage(cfg.STORAGE_LOCAL_DIR || DEFAULT_LOCAL_STORAGE_DIR);
    case 's3':
      return new S3Storage(s3OptionsFromConfig(cfg));
  }
}
