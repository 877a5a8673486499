/** What a step's prompt can refer to. Built by the orchestrator; rendering never does I/O. */
export interface TemplateContext {
    /** The run input; inside a fan-out it also has `_item` and `_index`. */
    input: Record<string, unknown>;
    /** Outputs of completed steps (a skipped or dead-lettered step has output null). */
    steps: Record<string, {
        output: unknown;
    }>;
    runId: string;
    /** `YYYY-MM-DD` (UTC), supplied by the caller so rendering is pure and replayable. */
    date: string;
}
