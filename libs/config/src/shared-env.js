"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SHARED_SECRET_KEYS = exports.STORAGE_ENV = exports.LOG_ENV = void 0;
const env_1 = require("./env");
/**
 * Variables that the shared libraries read, as spec fragments a service spreads into its own
 * spec, so every service names, defaults and validates them the same way (docs/configuration.md):
 *
 *   const config = loadConfig({ ...LOG_ENV, ...STORAGE_ENV, PORT: env.int({ default: 3000, min: 0, max: 65535 }) });
 */
exports.LOG_ENV = {
    /** Same values as `LogLevel` in @sandcastle/observability. */
    LOG_LEVEL: env_1.env.oneOf(['debug', 'info', 'warn', 'error'], { default: 'info' }),
};
exports.STORAGE_ENV = {
    STORAGE_BACKEND: env_1.env.oneOf(['local', 's3'], { default: 'local' }),
    STORAGE_BUCKET: env_1.env.str({ default: 'sandcastle-data', nonEmpty: true }),
    /** S3-compatible endpoint, e.g. `http://minio:9000`; unset means AWS S3. */
    STORAGE_ENDPOINT: env_1.env.url({ optional: true, protocols: ['http:', 'https:'] }),
    STORAGE_LOCAL_DIR: env_1.env.str({ default: './data/storage', nonEmpty: true }),
    AWS_ACCESS_KEY_ID: env_1.env.str({ optional: true }),
    AWS_SECRET_ACCESS_KEY: env_1.env.str({ optional: true }),
};
/** Keys of the fragments above to pass to `describeConfig` as secrets. */
exports.SHARED_SECRET_KEYS = ['AWS_SECRET_ACCESS_KEY'];
//# sourceMappingURL=shared-env.js.map