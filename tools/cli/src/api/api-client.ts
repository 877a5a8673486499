import { apiErrorFrom, ConnectionError } from './api-error';

export const DEFAULT_URL = 'http://localhost:8080';

export interface ApiClientOptions {
  baseUrl: string;
  /** Sent as `X-API-Key` when set. */
  apiKey: string | null;
  fetch?: typeof fetch;
}

/** A decoded success envelope. */
export interface ApiAnswer<T> {
  status: number;
  data: T;
  meta?: Record<string, number>;
}

/** `SANDCASTLE_URL` (default http://localhost:8080) and `SANDCASTLE_API_KEY`. */
export function apiOptionsFromEnv(env: Record<string, string | undefined>): ApiClientOptions {
  const url = env['SANDCASTLE_URL']?.trim() || DEFAULT_URL;
  const key = env['SANDCASTLE_API_KEY']?.trim();
  return { baseUrl: url.replace(/\/+$/, ''), apiKey: key ? key : null };
}

/** JSON over HTTP with the gateway's envelope: data back, or an ApiError thrown. */
export class ApiClient {
  readonly fetch: typeof fetch;

  constructor(readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.options.apiKey ? { 'X-API-Key': this.options.apiKey } : {}), ...extra };
  }

  async get<T>(path: string): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path);
  }

  async post<T>(path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', path, body ?? {});
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const url = this.url(path);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: this.headers({
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ConnectionError(this.options.baseUrl, err);
    }
    const text = await response.text();
    if (!response.ok) throw apiErrorFrom(response.status, text);
    let envelope: { data: T; meta?: Record<string, number> };
    try {
      envelope = JSON.parse(text) as typeof envelope;
    } catch {
      throw apiErrorFrom(response.status, text);
    }
    return { status: response.status, data: envelope.data, meta: envelope.meta };
  }
}
