export type { StorageBackend, StoredObjectStream } from './storage-backend';
export { InvalidStoragePathError, normaliseStoragePath, normaliseStoragePrefix } from './storage-path';
export { LocalStorage } from './local-storage';
export { S3Storage, type S3StorageOptions } from './s3-storage';
export {
  createStorage,
  DEFAULT_LOCAL_STORAGE_DIR,
  s3OptionsFromConfig,
  StorageConfigError,
  type StorageConfig,
} from './create-storage';
export {
  DEFAULT_RETRY_POLICY,
  ResilientStorage,
  StorageUnavailableError,
  type RetryPolicy,
  type StorageObserver,
  type StorageOperation,
} from './resilient-storage';
export { StorageMetrics } from './storage.metrics';
export { STORAGE, StorageModule } from './storage.module';
export {
  belongsToTenant,
  dataKey,
  runObjectKey,
  runPrefix,
  TENANTS_ROOT,
  tenantPrefix,
  tenantSegment,
  tenantVisiblePath,
} from './tenant-layout';
