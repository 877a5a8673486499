import {
  digestsEqual,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
  keyPrefixOf,
  KEY_PREFIX_LENGTH,
} from './api-key.util';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('API keys', () => {
  it('are sc_ plus 43 base64url characters (32 random bytes), all different', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(/^sc_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(3), 'base64url')).toHaveLength(32);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses values that cannot be keys', () => {
    const key = generateApiKey();
    for (const bad of ['', 'sc_', key.slice(0, -1), `${key}x`, `xx${key.slice(2)}`, key.replace(/.$/, '!')]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });

  it('are stored as HMAC-SHA256 hex under the secret: stable, keyed, 64 characters', () => {
    const key = generateApiKey();
    const digest = hashApiKey(key, SECRET);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key, SECRET)).toBe(digest);
    expect(hashApiKey(key, `${SECRET}!`)).not.toBe(digest);
    expect(hashApiKey(generateApiKey(), SECRET)).not.toBe(digest);
    // Known answer (RFC 4231-style check that this is HMAC, not a bare hash of key+secret).
    expect(hashApiKey('what do ya want for nothing?', 'Jefe')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('show a 10-character prefix', () => {
    const key = generateApiKey();
    expect(keyPrefixOf(key)).toBe(key.slice(0, KEY_PREFIX_LENGTH));
    expect(keyPrefixOf(key)).toHaveLength(10);
    expect(keyPrefixOf(key).startsWith('sc_')).toBe(true);
  });

  it('compare digests exactly', () => {
    const a = hashApiKey('one', SECRET);
    const b = hashApiKey('two', SECRET);
    expect(digestsEqual(a, a)).toBe(true);
    expect(digestsEqual(a, b)).toBe(false);
    expect(digestsEqual(a, a.slice(0, 62))).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
  });
});
