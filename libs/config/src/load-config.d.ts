import type { ConfigOf, Spec } from './env-spec';
/**
 * Reads every variable named in `spec` from `source` (the process environment by default) and
 * returns the typed values. An empty string counts as unset, so `SANDSTORM_URL=` in a compose
 * file means "use the default". All problems are collected before throwing one `ConfigError`.
 */
export declare function loadConfig<S extends Record<string, Spec>>(spec: S, source?: Record<string, string | undefined>): ConfigOf<S>;
