// The path rules are pure and shared with the workflow validator and the engine (libs/contracts).
export { InvalidStoragePathError, normaliseStoragePath, normaliseStoragePrefix } from '@sandcastle/contracts';
