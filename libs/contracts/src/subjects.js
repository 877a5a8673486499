"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HandlerPatterns = exports.messageIds = exports.DEFAULT_NATS_NAMESPACE = void 0;
exports.natsNames = natsNames;
exports.DEFAULT_NATS_NAMESPACE = 'sc';
/** Builds stream and subject names for a namespace: `sc` → streams `SC_*`, subjects `sc.*`. */
function natsNames(namespace = exports.DEFAULT_NATS_NAMESPACE) {
    if (!/^[a-z][a-z0-9_]*$/.test(namespace)) {
        throw new Error(`NATS namespace must match [a-z][a-z0-9_]*, got '${namespace}'`);
    }
    const upper = namespace.toUpperCase();
    return {
        namespace,
        streams: {
            commands: `${upper}_COMMANDS`,
            steps: `${upper}_STEPS`,
            results: `${upper}_RESULTS`,
            events: `${upper}_EVENTS`,
        },
        subjects: {
            runStart: `${namespace}.cmd.run.start`,
            runCancel: `${namespace}.cmd.run.cancel`,
            stepDispatch: `${namespace}.step.dispatch`,
            stepStarted: `${namespace}.step.started`,
            stepResult: `${namespace}.step.result`,
            runEventsAll: `${namespace}.evt.run.*`,
            cancelControlAll: `${namespace}.ctl.cancel.*`,
        },
        runEvents: (runId) => `${namespace}.evt.run.${runId}`,
        cancelControl: (runId) => `${namespace}.ctl.cancel.${runId}`,
    };
}
/** Item part of an id: fan-out items by index, plain steps as `-`. */
function itemKey(itemIndex) {
    return itemIndex === null ? '-' : String(itemIndex);
}
/**
 * Deterministic JetStream message ids (`Nats-Msg-Id`). A re-publish after a crash carries the
 * same id, so the stream's duplicate window drops it instead of running work twice.
 */
exports.messageIds = {
    runStart: (runId) => `start:${runId}`,
    runCancel: (runId) => `cancel:${runId}`,
    stepDispatch: (runId, stepId, itemIndex, attempt) => `dispatch:${runId}:${stepId}:${itemKey(itemIndex)}:${attempt}`,
    stepStarted: (runId, stepId, itemIndex, attempt) => `started:${runId}:${stepId}:${itemKey(itemIndex)}:${attempt}`,
    stepResult: (runId, stepId, itemIndex, attempt) => `result:${runId}:${stepId}:${itemKey(itemIndex)}:${attempt}`,
    schedule: (scheduleId, fireTime) => `sched:${scheduleId}:${fireTime}`,
};
/**
 * Patterns JetStream handlers are registered under (`@MessagePattern`): the subject without its
 * namespace, so handler code does not depend on the configured namespace.
 */
exports.HandlerPatterns = {
    runStart: 'cmd.run.start',
    runCancel: 'cmd.run.cancel',
    stepDispatch: 'step.dispatch',
    stepStarted: 'step.started',
    stepResult: 'step.result',
};
//# sourceMappingURL=subjects.js.map