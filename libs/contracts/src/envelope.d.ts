/** Stable error codes of the REST API (see docs/api.md). Clients switch on these. */
export declare const ERROR_CODES: {
    readonly VALIDATION_ERROR: 400;
    readonly INVALID_WORKFLOW: 400;
    readonly INVALID_ID: 400;
    readonly INVALID_STEP: 400;
    readonly INVALID_CRON: 400;
    readonly UNAUTHORIZED: 401;
    readonly FORBIDDEN: 403;
    readonly NOT_FOUND: 404;
    readonly RUN_NOT_FOUND: 404;
    readonly WORKFLOW_NOT_FOUND: 404;
    readonly SCHEDULE_NOT_FOUND: 404;
    readonly DLQ_ITEM_NOT_FOUND: 404;
    readonly API_KEY_NOT_FOUND: 404;
    readonly INVALID_STATUS: 409;
    readonly IDEMPOTENCY_CONFLICT: 409;
    readonly ALREADY_RESOLVED: 409;
    readonly PAYLOAD_TOO_LARGE: 413;
    readonly RATE_LIMITED: 429;
    readonly INTERNAL: 500;
    readonly SERVICE_UNAVAILABLE: 503;
};
export type ErrorCode = keyof typeof ERROR_CODES;
/** One problem with one field, e.g. `{field: "steps[1].depends_on", message: "unknown step 'scrap'"}`. */
export interface FieldProblem {
    field: string;
    message: string;
}
export interface ApiError {
    code: ErrorCode;
    message: string;
    details?: FieldProblem[];
}
export interface ListMeta {
    total: number;
    limit: number;
    offset: number;
    [extra: string]: number;
}
/** Every response body: `{data, error, meta?}`. */
export interface ApiEnvelope<T> {
    data: T | null;
    error: ApiError | null;
    meta?: ListMeta;
}
export declare function ok<T>(data: T, meta?: ListMeta): ApiEnvelope<T>;
export declare function fail(code: ErrorCode, message: string, details?: FieldProblem[]): ApiEnvelope<never>;
