/** Query parameters that would carry a key in a URL. Never accepted: URLs end up in logs and histories. */
export const URL_KEY_PARAMS = ['token', 'api_key', 'apikey', 'access_token'];

/** What a request presents as its key. */
export type PresentedKey =
  | { kind: 'none' }
  | { kind: 'key'; key: string }
  /** The request is refused whatever the key: the message says why. */
  | { kind: 'refused'; message: string };

type HeaderValue = string | string[] | undefined;

function single(value: HeaderValue): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The key of a request, from `X-API-Key` or `Authorization: Bearer …`. A key-like query
 * parameter is refused even when a header carries a key too, so a client that leaks keys into
 * URLs learns it on its first request instead of in an incident report.
 */
export function presentedKeyOf(
  headers: Record<string, HeaderValue>,
  query: Record<string, unknown>,
): PresentedKey {
  const inUrl = Object.keys(query).find((name) => URL_KEY_PARAMS.includes(name.toLowerCase()));
  if (inUrl !== undefined) {
    return {
      kind: 'refused',
      message: `an API key is never accepted in the URL ('${inUrl}' query parameter): send it in the X-API-Key header or as Authorization: Bearer`,
    };
  }
  const headerKey = single(headers['x-api-key']);
  const authorization = single(headers['authorization']);
  let bearerKey: string | undefined;
  if (authorization !== undefined) {
    const match = BEARER.exec(authorization);
    if (!match?.[1])
      return { kind: 'refused', message: 'the Authorization header must be "Bearer <API key>"' };
    bearerKey = match[1];
  }
  if (headerKey !== undefined && bearerKey !== undefined && headerKey !== bearerKey) {
    return { kind: 'refused', message: 'X-API-Key and Authorization carry different keys' };
  }
  const key = headerKey ?? bearerKey;
  return key === undefined ? { kind: 'none' } : { kind: 'key', key };
}
