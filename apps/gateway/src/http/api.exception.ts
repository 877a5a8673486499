import { ERROR_CODES, type ErrorCode, type FieldProblem } from '@sandcastle/contracts';

/**
 * A failure the caller can act on, with a stable code from the API contract. Services and use
 * cases throw it; the global exception filter turns it into the error envelope with the status
 * the code maps to.
 */
export class ApiException extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    /** Sent as `Retry-After` (429, 503): when trying again may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiException';
    this.status = ERROR_CODES[code];
  }
}
