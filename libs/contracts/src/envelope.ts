/** Stable error codes of the REST API (see docs/api.md). Clients switch on these. */
export const ERROR_CODES = {
  VALIDATION_ERROR: 400,
  INVALID_WORKFLOW: 400,
  INVALID_ID: 400,
  INVALID_STEP: 400,
  INVALID_CRON: 400,
  /** A workflow above MAX_WORKFLOW_STEPS or MAX_WORKFLOW_BYTES (details carry limit and actual). */
  WORKFLOW_TOO_LARGE: 400,
  /** A run input above MAX_INPUT_BYTES (details carry limit and actual). */
  INPUT_TOO_LARGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  WORKFLOW_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  DLQ_ITEM_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  /** The run has no approval step of that id waiting or decided. */
  APPROVAL_NOT_FOUND: 404,
  /** No artifact of that name in the run (never written, or removed by retention). */
  ARTIFACT_NOT_FOUND: 404,
  /** A storage path that could leave the tenant's storage (`..`, absolute, encoded separators…). */
  STORAGE_PATH_INVALID: 400,
  INVALID_STATUS: 409,
  IDEMPOTENCY_CONFLICT: 409,
  ALREADY_RESOLVED: 409,
  /** The approval was decided before (by someone else, its timeout, or the run ending). */
  APPROVAL_ALREADY_DECIDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  /** A tenant holds its cap of open streams or sync waits (MAX_STREAMS_PER_TENANT, MAX_SYNC_WAITS_PER_TENANT). */
  CONCURRENCY_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with one field, e.g. `{field: "steps[1].depends_on", message: "unknown step 'scrap'"}`. */
export interface FieldProblem {
  field: string;
  message: string;
  /** For a breached limit: the limit, in the unit the message names (steps, bytes). */
  limit?: number;
  /** For a breached limit: the value that exceeded it. */
  actual?: number;
  /** For a misspelt name: the existing one it most likely meant ("did you mean"). */
  suggestion?: string;
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

export function ok<T>(data: T, meta?: ListMeta): ApiEnvelope<T> {
  return meta ? { data, error: null, meta } : { data, error: null };
}

export function fail(code: ErrorCode, message: string, details?: FieldProblem[]): ApiEnvelope<never> {
  return {
    data: null,
    error: details && details.length > 0 ? { code, message, details } : { code, message },
  };
}
