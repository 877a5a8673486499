/** A gateway response as the specs read it: the status and headers beside the parsed envelope. */
export interface GatewayAnswer<T = unknown> {
  status: number;
  headers: Headers;
  data: T;
  error: { code: string; message: string; details?: { field: string; message: string }[] } | null;
  meta?: Record<string, number>;
}

/**
 * One request to the gateway at `url`. A string body is sent as it is (to test malformed JSON);
 * anything else as JSON. A body that is not a JSON object (a plain-text error from outside the
 * API) comes back as `data`.
 */
export async function requestGateway<T = unknown>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<GatewayAnswer<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = (text.startsWith('{') ? JSON.parse(text) : { data: text, error: null }) as Omit<
    GatewayAnswer<T>,
    'status' | 'headers'
  >;
  return { status: response.status, headers: response.headers, ...parsed };
}
