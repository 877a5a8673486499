/**
 * What a JetStream handler asks the transport to do with the message it was given. Handlers
 * never touch ack/nak/term themselves: `JetStreamServer` is the one place that does, after the
 * handler's work (and its database transaction) has finished.
 */
export type HandlerOutcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'terminate'; readonly reason: string };

export const Outcome = {
  ack: (): HandlerOutcome => ({ kind: 'ack' }),
  /**
   * Redeliver after `delayMs` (the work could not be done now, e.g. a dependency is down). Counts
   * as a delivery: after MESSAGE_MAX_DELIVERIES the message becomes a dead letter, so redelivery
   * is no queue for work that waits on purpose (keep such work in the database).
   */
  retryAfter: (delayMs: number, reason: string): HandlerOutcome => ({ kind: 'retry', delayMs, reason }),
  /** Never redeliver: the message can never be processed (invalid payload, unknown version). */
  terminate: (reason: string): HandlerOutcome => ({ kind: 'terminate', reason }),
} as const;

export function isHandlerOutcome(value: unknown): value is HandlerOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    ['ack', 'retry', 'terminate'].includes((value as { kind: string }).kind)
  );
}

/** Delay before redelivering a message whose handler threw: 0.5 s doubling up to 30 s. */
export function redeliveryDelayMs(deliveryCount: number): number {
  return Math.min(500 * 2 ** Math.max(0, deliveryCount - 1), 30_000);
}
