export { ConfigError, type ConfigProblem } from './config-error';
export type { ConfigOf, EnvSpec, ParseResult, PresenceOptions, Resolved, Spec } from './env-spec';
export { env, type RangeOptions, type StrOptions, type UrlOptions } from './env';
export { loadConfig } from './load-config';
export { loadDotEnv, parseDotEnv } from './dot-env';
export { bootConfig, configProblemLines, type BootIo } from './boot-config';
export { describeConfig } from './describe-config';
export {
  LOG_ENV,
  retentionByTenant,
  SHARED_SECRET_KEYS,
  STORAGE_ENV,
  STORAGE_RETENTION_ENV,
} from './shared-env';
export { CORE_ENV, NATS_ENV } from './core-env';
export {
  allowListedEnv,
  DEFAULT_ENDPOINT_NAME,
  ENDPOINT_NAME,
  normaliseEndpointUrl,
  OUTBOUND_ENV,
  RUNTIME_ENDPOINTS_ENV,
  runtimeEndpointsOf,
  WORKFLOW_ENV,
  type RuntimeEndpoint,
  type RuntimeEndpoints,
} from './runtime-endpoints-env';
export {
  DEFAULT_LIMITS,
  LIMIT_DEFINITIONS,
  LIMITS_ENV,
  limitsOf,
  type LimitName,
  type Limits,
} from './limits-env';
export {
  buildModelRegistry,
  costOf,
  DEFAULT_MODEL_REGISTRY_DOCUMENT,
  defaultModelRegistry,
  ModelRegistryError,
  parseModelRegistryText,
  type ModelEndpoint,
  type ModelEntry,
  type ModelPrice,
  type ModelRegistry,
  type ModelRuntime,
} from './model-registry';
export { MODEL_API_ENV, MODEL_REGISTRY_ENV } from './model-registry-env';
