export type { StorageBackend } from './storage-backend';
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
