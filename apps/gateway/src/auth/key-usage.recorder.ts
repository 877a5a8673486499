import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { ApiKeysRepository } from './api-keys.repository';

/** How often `last_used_at` is written. Coarse on purpose: it says "in use lately", not "when exactly". */
export const KEY_USAGE_FLUSH_MS = 30_000;

/**
 * Collects which keys were used and writes `last_used_at` in one statement per interval and at
 * shutdown, instead of one UPDATE per request (the original wrote on every request, making
 * every read a write on a hot row).
 */
@Injectable()
export class KeyUsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly keys: ApiKeysRepository,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'key-usage' });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), KEY_USAGE_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  touch(keyId: string, at: Date = new Date()): void {
    this.pending.set(keyId, at);
  }

  /** Writes what was collected; on failure it is kept for the next attempt (newest time wins). */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.keys.recordLastUsed(batch);
    } catch (err) {
      this.logger.warn('could not record API key usage; will retry', { keys: batch.size, err });
      for (const [id, at] of batch) {
        const newer = this.pending.get(id);
        if (!newer || newer < at) this.pending.set(id, at);
      }
    }
  }
}
