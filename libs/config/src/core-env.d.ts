/**
 * The connections every database-backed service shares (gateway, orchestrator, scheduler,
 * notifier). The executor takes only the NATS part: it never connects to the database.
 */
export declare const NATS_ENV: {
    NATS_URL: import("./env-spec").EnvSpec<string>;
    /** Prefix of every stream and subject (`sc` → SC_STEPS, sc.step.dispatch); tests use their own. */
    NATS_NAMESPACE: import("./env-spec").EnvSpec<string>;
};
export declare const CORE_ENV: {
    DATABASE_URL: import("./env-spec").EnvSpec<string>;
    DB_POOL_SIZE: import("./env-spec").EnvSpec<number>;
    NATS_URL: import("./env-spec").EnvSpec<string>;
    /** Prefix of every stream and subject (`sc` → SC_STEPS, sc.step.dispatch); tests use their own. */
    NATS_NAMESPACE: import("./env-spec").EnvSpec<string>;
};
