/** Lifecycle of a run. Terminal states never change again. */
export declare const RUN_STATUSES: readonly ["queued", "running", "completed", "failed", "cancelled", "budget_exceeded"];
export type RunStatus = (typeof RUN_STATUSES)[number];
export declare const TERMINAL_RUN_STATUSES: readonly RunStatus[];
/** Lifecycle of one step (or one fan-out item of a step). */
export declare const STEP_STATUSES: readonly ["pending", "queued", "running", "completed", "failed", "skipped", "cancelled"];
export type StepStatus = (typeof STEP_STATUSES)[number];
export declare const TERMINAL_STEP_STATUSES: readonly StepStatus[];
/** Agent runtimes an executor can run a step on. */
export declare const RUNTIME_KINDS: readonly ["sandstorm", "simulated"];
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];
/** How a run came to be: started directly, or made by the Time Machine from another run. */
export declare const RUN_KINDS: readonly ["original", "replay", "fork"];
export type RunKind = (typeof RUN_KINDS)[number];
export declare function isTerminalRunStatus(status: RunStatus): boolean;
export declare function isTerminalStepStatus(status: StepStatus): boolean;
