import createClient from 'openapi-fetch';
import type { paths } from './schema.gen';
import { authHeaders } from './session';

/** A problem the API reported: its stable code, message and per-field details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Thrown when the gateway cannot be reached at all (network error or a proxy's 502/504). */
export class UnreachableError extends Error {}

export const api = createClient<paths>({ baseUrl: '' });

api.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders())) request.headers.set(name, value);
    return request;
  },
});

interface Answer<D> {
  data?: { data: D } | undefined;
  error?: unknown;
  response: Response;
}

/** The `data` of a successful answer; an ApiError (or UnreachableError) otherwise. */
export async function unwrap<D>(call: Promise<Answer<D>>): Promise<D> {
  let answer: Answer<D>;
  try {
    answer = await call;
  } catch (err) {
    throw new UnreachableError(`the gateway cannot be reached (${(err as Error).message})`);
  }
  const { response } = answer;
  if (response.ok && answer.data) return answer.data.data;
  if (response.status === 502 || response.status === 504)
    throw new UnreachableError(`the gateway answered ${response.status}`);
  const envelope = answer.error as
    | { error?: { code?: string; message?: string; details?: { field: string; message: string }[] } }
    | undefined;
  const problem = envelope?.error;
  throw new ApiError(
    response.status,
    problem?.code ?? 'HTTP_' + response.status,
    problem?.message ?? response.statusText,
    problem?.details ?? [],
  );
}
