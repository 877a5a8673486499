import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { digestsEqual, hashApiKey, isWellFormedApiKey } from './api-key.util';
import { ApiKeysRepository } from './api-keys.repository';
import type { Caller } from './caller';

/**
 * How long a lookup is trusted. It bounds how long a key deactivated on another replica keeps
 * working there (the replica that deactivates it forgets it at once): docs/security.md.
 */
export const KEY_CACHE_TTL_MS = 5_000;

/** Unknown keys are cached too (a client retrying a bad key must not cost a query each time), up to this many entries. */
const MAX_CACHED_KEYS = 10_000;

type TenantCaller = Extract<Caller, { kind: 'tenant' }>;

interface CachedLookup {
  caller: TenantCaller | null;
  expiresAt: number;
}

/**
 * Turns a presented key into its caller: the admin key, a tenant's active key, or nobody.
 * Keys are compared by their HMAC digest in constant time; a short-lived cache keeps the
 * database off the path of most requests.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedLookup>();
  private readonly adminDigest: string | undefined;

  constructor(
    private readonly keys: ApiKeysRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.adminDigest =
      config.ADMIN_API_KEY !== undefined && config.API_KEY_SECRET !== undefined
        ? hashApiKey(config.ADMIN_API_KEY, config.API_KEY_SECRET)
        : undefined;
  }

  /** The digest a key is stored under; undefined when no secret is configured (auth off, no admin key). */
  digestOf(key: string): string | undefined {
    const secret = this.config.API_KEY_SECRET;
    return secret === undefined ? undefined : hashApiKey(key, secret);
  }

  isAdminKey(key: string): boolean {
    const digest = this.digestOf(key);
    return digest !== undefined && this.adminDigest !== undefined && digestsEqual(digest, this.adminDigest);
  }

  /** The tenant caller of an active key; null for a malformed, unknown or deactivated one. */
  async authenticate(key: string, now: number = Date.now()): Promise<TenantCaller | null> {
    const digest = this.digestOf(key);
    if (digest === undefined || !isWellFormedApiKey(key)) return null;
    const cached = this.cache.get(digest);
    if (cached && cached.expiresAt > now) return cached.caller;
    const row = await this.keys.findByHash(digest);
    const caller: TenantCaller | null =
      row && row.isActive && digestsEqual(row.keyHash, digest)
        ? { kind: 'tenant', tenantId: row.tenantId, keyId: row.id, maxCostPerRunUsd: row.maxCostPerRunUsd }
        : null;
    if (this.cache.size >= MAX_CACHED_KEYS) this.evictExpired(now);
    if (this.cache.size < MAX_CACHED_KEYS)
      this.cache.set(digest, { caller, expiresAt: now + KEY_CACHE_TTL_MS });
    return caller;
  }

  /** True when this replica knows the key as active without asking the database (cached lookup). */
  isKnownActive(key: string, now: number = Date.now()): boolean {
    const digest = this.digestOf(key);
    if (digest === undefined) return false;
    const cached = this.cache.get(digest);
    return cached !== undefined && cached.expiresAt > now && cached.caller !== null;
  }

  /** Drops a key from this replica's cache at once (it was just deactivated here). */
  forget(keyId: string): void {
    for (const [digest, entry] of this.cache) {
      if (entry.caller?.keyId === keyId) this.cache.delete(digest);
    }
  }

  private evictExpired(now: number): void {
    for (const [digest, entry] of this.cache) {
      if (entry.expiresAt <= now) this.cache.delete(digest);
    }
  }
}
