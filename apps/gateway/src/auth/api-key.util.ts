import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts with this, so a leaked one is easy to recognise (and to scan for). */
export const API_KEY_PREFIX = 'sc_';

/** How many characters of a key are kept in clear, to tell keys apart in lists. */
export const KEY_PREFIX_LENGTH = 10;

/** `sc_` + 32 random bytes in base64url (43 characters): 256 bits, nothing to guess. */
const API_KEY_PATTERN = /^sc_[A-Za-z0-9_-]{43}$/;

/** A new key, shown to its owner once; only its hash is stored. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Whether a presented value can be a key at all: anything else is refused without a lookup. */
export function isWellFormedApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/**
 * The stored form of a key: HMAC-SHA256 under API_KEY_SECRET, lowercase hex (64 characters).
 * Keyed rather than a bare SHA-256 so a copy of the table alone cannot be used to test guesses.
 */
export function hashApiKey(key: string, secret: string): string {
  return createHmac('sha256', secret).update(key, 'utf8').digest('hex');
}

export function keyPrefixOf(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

/** Constant-time comparison of two hex digests (false when their lengths differ). */
export function digestsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
