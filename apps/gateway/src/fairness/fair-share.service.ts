import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiException } from '../http/api.exception';
import { ConcurrencySlots } from './concurrency-slots';

/** What a refused client is told to wait: long-lived slots free up at no predictable time. */
export const SLOT_RETRY_AFTER_SECONDS = 5;

/**
 * Per-tenant caps on what a tenant holds open on this gateway replica: SSE streams
 * (MAX_STREAMS_PER_TENANT) and sync waits (MAX_SYNC_WAITS_PER_TENANT). Past them: 429
 * CONCURRENCY_LIMITED with Retry-After. The counts are per replica on purpose: what they protect
 * (sockets, memory, event fan-out) is the replica's own, and a shared count would need leases
 * that survive a crashed replica (docs/security.md).
 */
@Injectable()
export class FairShareService {
  private readonly streams: ConcurrencySlots;
  private readonly syncWaits: ConcurrencySlots;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.streams = new ConcurrencySlots(config.MAX_STREAMS_PER_TENANT);
    this.syncWaits = new ConcurrencySlots(config.MAX_SYNC_WAITS_PER_TENANT);
  }

  /** Throws 429 past the cap; otherwise the function that gives the slot back. */
  takeStream(key: string): () => void {
    return this.take(this.streams, key, 'open event streams', 'MAX_STREAMS_PER_TENANT');
  }

  takeSyncWait(key: string): () => void {
    return this.take(this.syncWaits, key, 'sync waits', 'MAX_SYNC_WAITS_PER_TENANT');
  }

  private take(slots: ConcurrencySlots, key: string, what: string, variable: string): () => void {
    const release = slots.tryTake(key);
    if (release) return release;
    throw new ApiException(
      'CONCURRENCY_LIMITED',
      `at most ${slots.max} ${what} at once (${variable}); retry in ${SLOT_RETRY_AFTER_SECONDS} s`,
      undefined,
      SLOT_RETRY_AFTER_SECONDS,
    );
  }
}
