"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RUN_KINDS = exports.RUNTIME_KINDS = exports.TERMINAL_STEP_STATUSES = exports.STEP_STATUSES = exports.TERMINAL_RUN_STATUSES = exports.RUN_STATUSES = void 0;
exports.isTerminalRunStatus = isTerminalRunStatus;
exports.isTerminalStepStatus = isTerminalStepStatus;
/** Lifecycle of a run. Terminal states never change again. */
exports.RUN_STATUSES = [
    'queued',
    'running',
    'completed',
    'failed',
    'cancelled',
    'budget_exceeded',
];
exports.TERMINAL_RUN_STATUSES = [
    'completed',
    'failed',
    'cancelled',
    'budget_exceeded',
];
/** Lifecycle of one step (or one fan-out item of a step). */
exports.STEP_STATUSES = [
    'pending',
    'queued',
    'running',
    'completed',
    'failed',
    'skipped',
    'cancelled',
];
exports.TERMINAL_STEP_STATUSES = ['completed', 'failed', 'skipped', 'cancelled'];
/** Agent runtimes an executor can run a step on. */
exports.RUNTIME_KINDS = ['sandstorm', 'simulated'];
/** How a run came to be: started directly, or made by the Time Machine from another run. */
exports.RUN_KINDS = ['original', 'replay', 'fork'];
function isTerminalRunStatus(status) {
    return exports.TERMINAL_RUN_STATUSES.includes(status);
}
function isTerminalStepStatus(status) {
    return exports.TERMINAL_STEP_STATUSES.includes(status);
}
//# sourceMappingURL=statuses.js.map