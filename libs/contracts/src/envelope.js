"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ERROR_CODES = void 0;
exports.ok = ok;
exports.fail = fail;
/** Stable error codes of the REST API (see docs/api.md). Clients switch on these. */
exports.ERROR_CODES = {
    VALIDATION_ERROR: 400,
    INVALID_WORKFLOW: 400,
    INVALID_ID: 400,
    INVALID_STEP: 400,
    INVALID_CRON: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    RUN_NOT_FOUND: 404,
    WORKFLOW_NOT_FOUND: 404,
    SCHEDULE_NOT_FOUND: 404,
    DLQ_ITEM_NOT_FOUND: 404,
    API_KEY_NOT_FOUND: 404,
    INVALID_STATUS: 409,
    IDEMPOTENCY_CONFLICT: 409,
    ALREADY_RESOLVED: 409,
    PAYLOAD_TOO_LARGE: 413,
    RATE_LIMITED: 429,
    INTERNAL: 500,
    SERVICE_UNAVAILABLE: 503,
};
function ok(data, meta) {
    return meta ? { data, error: null, meta } : { data, error: null };
}
function fail(code, message, details) {
    return {
        data: null,
        error: details && details.length > 0 ? { code, message, details } : { code, message },
    };
}
//# sourceMappingURL=envelope.js.map