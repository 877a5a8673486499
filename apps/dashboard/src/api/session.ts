// The API key lives in session storage (gone when the tab closes) and only ever travels in the
// X-API-Key header: never in a URL, never in local storage.
const KEY = 'sandcastle.apiKey';

export function storedApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export function authHeaders(): Record<string, string> {
  const key = storedApiKey();
  return key ? { 'X-API-Key': key } : {};
}
