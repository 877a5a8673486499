/**
 * What a JetStream handler asks the transport to do with the message it was given. Handlers
 * never touch ack/nak/term themselves: `JetStreamServer` is the one place that does, after the
 * handler's work (and its database transaction) has finished.
 */
export type HandlerOutcome = {
    readonly kind: 'ack';
} | {
    readonly kind: 'retry';
    readonly delayMs: number;
    readonly reason: string;
} | {
    readonly kind: 'terminate';
    readonly reason: string;
};
export declare const Outcome: {
    readonly ack: () => HandlerOutcome;
    /** Redeliver after `delayMs` (the work could not be done now, e.g. a dependency is down). */
    readonly retryAfter: (delayMs: number, reason: string) => HandlerOutcome;
    /** Never redeliver: the message can never be processed (invalid payload, unknown version). */
    readonly terminate: (reason: string) => HandlerOutcome;
};
export declare function isHandlerOutcome(value: unknown): value is HandlerOutcome;
/** Delay before redelivering a message whose handler threw: 0.5 s doubling up to 30 s. */
export declare function redeliveryDelayMs(deliveryCount: number): number;
