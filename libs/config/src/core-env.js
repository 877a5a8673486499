"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CORE_ENV = exports.NATS_ENV = void 0;
const env_1 = require("./env");
/**
 * The connections every database-backed service shares (gateway, orchestrator, scheduler,
 * notifier). The executor takes only the NATS part: it never connects to the database.
 */
exports.NATS_ENV = {
    NATS_URL: env_1.env.url({ default: 'nats://127.0.0.1:4222', protocols: ['nats:', 'tls:', 'ws:', 'wss:'] }),
    /** Prefix of every stream and subject (`sc` → SC_STEPS, sc.step.dispatch); tests use their own. */
    NATS_NAMESPACE: env_1.env.str({ default: 'sc', nonEmpty: true }),
};
exports.CORE_ENV = {
    ...exports.NATS_ENV,
    DATABASE_URL: env_1.env.url({
        default: 'postgres://postgres@127.0.0.1:5432/sandcastle',
        protocols: ['postgres:', 'postgresql:'],
    }),
    DB_POOL_SIZE: env_1.env.int({ default: 20, min: 2, max: 200 }),
};
//# sourceMappingURL=core-env.js.map