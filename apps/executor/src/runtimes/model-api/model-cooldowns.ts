import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NatsNames } from '@sandcastle/contracts';
import { modelCooldownsBucket } from '@sandcastle/messaging';
import type { Logger } from '@sandcastle/observability';
import { MAX_RETRY_AFTER_MS } from './provider-call-error';

/**
 * Models resting after a 429/529/overloaded answer, shared by every executor replica: one
 * replica's 429 spares the others the same call. Keyed by registry alias.
 */
export interface ModelCooldowns {
  /** Epoch ms until which `alias` rests, or null. */
  until(alias: string): Promise<number | null>;
  coolDown(alias: string, untilMs: number): Promise<void>;
}

export { modelCooldownsBucket };

const encoder = new TextEncoder();

/** KV keys allow `[-/_=.a-zA-Z0-9]`; aliases may hold `:` (`llama3.1:8b`), so keys are base64url. */
function keyOf(alias: string): string {
  return Buffer.from(alias, 'utf8').toString('base64url');
}

/**
 * The cooldowns in a JetStream key-value bucket whose entries expire after the longest cooldown.
 * Broker trouble never blocks a call: a read that fails counts as "not cooling" and a write that
 * fails is logged (the worst case is one more 429 from the provider).
 */
export class NatsModelCooldowns implements ModelCooldowns {
  private constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  static async open(nc: NatsConnection, names: NatsNames, logger: Logger): Promise<NatsModelCooldowns> {
    const kv = await new Kvm(nc).create(modelCooldownsBucket(names), {
      ttl: MAX_RETRY_AFTER_MS + 60_000,
      history: 1,
    });
    return new NatsModelCooldowns(kv, logger);
  }

  async until(alias: string): Promise<number | null> {
    try {
      const entry = await this.kv.get(keyOf(alias));
      if (entry === null || entry.operation !== 'PUT') return null;
      const until = Number(entry.string());
      return Number.isFinite(until) ? until : null;
    } catch (err) {
      this.logger.warn('could not read a model cooldown; calling the model', { alias, err });
      return null;
    }
  }

  async coolDown(alias: string, untilMs: number): Promise<void> {
    try {
      // Only ever lengthens a rest: a replica that saw a shorter retry-after does not cut it.
      const current = await this.until(alias);
      if (current !== null && current >= untilMs) return;
      await this.kv.put(keyOf(alias), encoder.encode(String(Math.round(untilMs))));
    } catch (err) {
      this.logger.warn('could not record a model cooldown', { alias, err });
    }
  }
}
