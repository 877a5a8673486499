import { checkAddress, isIpLiteral } from './address-policy.util';

/**
 * The synchronous, request-time check of a tenant-supplied URL (a webhook, a callback). It parses
 * with the WHATWG URL parser — the same parser Node's HTTP stack uses — so every spelling the
 * parser normalises (`http://2130706433/`, `http://0x7f.1/`, `http://127.0.0.1./`, upper case)
 * is judged in its normal form. A hostname is judged again after DNS resolution
 * (`resolveSafeAddress`), which is what actually protects; this check refuses early what can be
 * known without DNS, with a reason a tenant can act on.
 */
export type UrlCheck = { ok: true; url: URL } | { ok: false; code: 'UNSAFE_URL'; reason: string };

export interface UrlCheckOptions {
  /** Local development and tests only (`WEBHOOK_ALLOW_PRIVATE=true`). */
  allowPrivate: boolean;
}

/** Tenant-supplied URLs longer than this are refused outright. */
export const MAX_URL_LENGTH = 2048;

/** Names that only ever mean "this machine" or "this private network". */
const INTERNAL_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal']);
const INTERNAL_SUFFIXES = ['.localhost', '.internal', '.local', '.localdomain', '.home.arpa'];

export function checkUrlSyntax(raw: string, opts: UrlCheckOptions): UrlCheck {
  if (typeof raw !== 'string' || raw.length === 0) return refuse('not a URL');
  if (raw.length > MAX_URL_LENGTH) return refuse(`longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse('only http and https are allowed');
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('credentials in the URL are not allowed');
  }
  const host = normaliseHost(url.hostname);
  if (host === '') return refuse('no host');
  if (isIpLiteral(host)) {
    const verdict = checkAddress(host, opts);
    return verdict.ok ? { ok: true, url } : refuse(verdict.reason);
  }
  if (!opts.allowPrivate && isInternalName(host)) return refuse('internal host name');
  if (isMetadataName(host)) return refuse('cloud metadata host name');
  return { ok: true, url };
}

/** Lower case, without the trailing dots that make `localhost.` a spelling of `localhost`. */
export function normaliseHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

function isInternalName(host: string): boolean {
  // A single-label name (`redis`, `gateway`) is resolved through the search domains of the
  // machine: in a cluster it is a neighbouring service.
  if (!host.includes('.')) return true;
  return INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

function isMetadataName(host: string): boolean {
  return host === 'metadata.google.internal' || host === 'metadata.goog';
}

function refuse(reason: string): UrlCheck {
  return { ok: false, code: 'UNSAFE_URL', reason };
}
