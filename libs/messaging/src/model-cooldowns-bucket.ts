import type { NatsNames } from '@sandcastle/contracts';

/**
 * The key-value bucket where executors share which models rest after a 429/overload
 * (docs/runtimes.md#fallback-chains), namespaced like the streams.
 */
export function modelCooldownsBucket(names: NatsNames): string {
  return `${names.namespace.toUpperCase()}_MODEL_COOLDOWNS`;
}
