/**
 * Variables that the shared libraries read, as spec fragments a service spreads into its own
 * spec, so every service names, defaults and validates them the same way (docs/configuration.md):
 *
 *   const config = loadConfig({ ...LOG_ENV, ...STORAGE_ENV, PORT: env.int({ default: 3000, min: 0, max: 65535 }) });
 */
export declare const LOG_ENV: {
    /** Same values as `LogLevel` in @sandcastle/observability. */
    LOG_LEVEL: import("./env-spec").EnvSpec<"error" | "debug" | "info" | "warn">;
};
export declare const STORAGE_ENV: {
    STORAGE_BACKEND: import("./env-spec").EnvSpec<"local" | "s3">;
    STORAGE_BUCKET: import("./env-spec").EnvSpec<string>;
    /** S3-compatible endpoint, e.g. `http://minio:9000`; unset means AWS S3. */
    STORAGE_ENDPOINT: import("./env-spec").EnvSpec<string | undefined>;
    STORAGE_LOCAL_DIR: import("./env-spec").EnvSpec<string>;
    AWS_ACCESS_KEY_ID: import("./env-spec").EnvSpec<string | undefined>;
    AWS_SECRET_ACCESS_KEY: import("./env-spec").EnvSpec<string | undefined>;
};
/** Keys of the fragments above to pass to `describeConfig` as secrets. */
export declare const SHARED_SECRET_KEYS: string[];
