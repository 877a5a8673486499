/** One field problem of an API error (`details`). */
export interface ProblemDetail {
  field: string;
  message: string;
}

/** The API answered with an error envelope (or, from a proxy, something that is not one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ProblemDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The gateway could not be reached at all (refused, DNS, reset before an answer). */
export class ConnectionError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const reason =
      cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`cannot reach Sandcastle at ${url}: ${reason}`);
    this.name = 'ConnectionError';
  }
}

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; details?: unknown } | null;
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

function details(value: unknown): ProblemDetail[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((d): d is { field: unknown; message: unknown } => typeof d === 'object' && d !== null)
    .map((d) => ({ field: textOf(d.field), message: textOf(d.message) }));
}

/** The ApiError an unsuccessful response stands for, from its envelope when it has one. */
export function apiErrorFrom(status: number, body: string): ApiError {
  try {
    const envelope = JSON.parse(body) as ErrorEnvelope;
    const error = envelope.error;
    if (error && typeof error.code === 'string') {
      return new ApiError(status, error.code, textOf(error.message), details(error.details));
    }
  } catch {
    // Not JSON: a proxy's error page or similar; reported below with its status.
  }
  const snippet = body.trim().slice(0, 200);
  return new ApiError(status, `HTTP_${status}`, snippet || 'the server answered without a body');
}
