/**
 * NATS names. Everything hangs off one namespace (`sc` in production) so that a test run can
 * use its own streams and subjects on a shared server without seeing anyone else's messages.
 */
export interface NatsNames {
    readonly namespace: string;
    readonly streams: {
        readonly commands: string;
        readonly steps: string;
        readonly results: string;
        readonly events: string;
    };
    readonly subjects: {
        readonly runStart: string;
        readonly runCancel: string;
        readonly stepDispatch: string;
        readonly stepStarted: string;
        readonly stepResult: string;
        /** Wildcard matching every run's event subject. */
        readonly runEventsAll: string;
        /** Core NATS (not persisted) wildcard for abort signals to executors. */
        readonly cancelControlAll: string;
    };
    runEvents(runId: string): string;
    cancelControl(runId: string): string;
}
export declare const DEFAULT_NATS_NAMESPACE = "sc";
/** Builds stream and subject names for a namespace: `sc` → streams `SC_*`, subjects `sc.*`. */
export declare function natsNames(namespace?: string): NatsNames;
/**
 * Deterministic JetStream message ids (`Nats-Msg-Id`). A re-publish after a crash carries the
 * same id, so the stream's duplicate window drops it instead of running work twice.
 */
export declare const messageIds: {
    readonly runStart: (runId: string) => string;
    readonly runCancel: (runId: string) => string;
    readonly stepDispatch: (runId: string, stepId: string, itemIndex: number | null, attempt: number) => string;
    readonly stepStarted: (runId: string, stepId: string, itemIndex: number | null, attempt: number) => string;
    readonly stepResult: (runId: string, stepId: string, itemIndex: number | null, attempt: number) => string;
    readonly schedule: (scheduleId: string, fireTime: string) => string;
};
/**
 * Patterns JetStream handlers are registered under (`@MessagePattern`): the subject without its
 * namespace, so handler code does not depend on the configured namespace.
 */
export declare const HandlerPatterns: {
    readonly runStart: "cmd.run.start";
    readonly runCancel: "cmd.run.cancel";
    readonly stepDispatch: "step.dispatch";
    readonly stepStarted: "step.started";
    readonly stepResult: "step.result";
};
