"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Outcome = void 0;
exports.isHandlerOutcome = isHandlerOutcome;
exports.redeliveryDelayMs = redeliveryDelayMs;
exports.Outcome = {
    ack: () => ({ kind: 'ack' }),
    /** Redeliver after `delayMs` (the work could not be done now, e.g. a dependency is down). */
    retryAfter: (delayMs, reason) => ({ kind: 'retry', delayMs, reason }),
    /** Never redeliver: the message can never be processed (invalid payload, unknown version). */
    terminate: (reason) => ({ kind: 'terminate', reason }),
};
function isHandlerOutcome(value) {
    return (typeof value === 'object' &&
        value !== null &&
        'kind' in value &&
        ['ack', 'retry', 'terminate'].includes(value.kind));
}
/** Delay before redelivering a message whose handler threw: 0.5 s doubling up to 30 s. */
function redeliveryDelayMs(deliveryCount) {
    return Math.min(500 * 2 ** Math.max(0, deliveryCount - 1), 30_000);
}
//# sourceMappingURL=handler-outcome.js.map