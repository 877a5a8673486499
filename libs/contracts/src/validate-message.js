"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.InvalidMessageError = void 0;
exports.validateMessage = validateMessage;
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
/** A message that failed validation; never retried, because it can never become valid. */
class InvalidMessageError extends Error {
    constructor(messageType, problems) {
        super(`invalid ${messageType}: ${problems.join('; ')}`);
        this.messageType = messageType;
        this.problems = problems;
        this.name = 'InvalidMessageError';
    }
}
exports.InvalidMessageError = InvalidMessageError;
/** Validates a decoded JSON payload against its message class; returns it typed or throws. */
function validateMessage(cls, payload) {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
        throw new InvalidMessageError(cls.name, ['payload is not a JSON object']);
    }
    const instance = (0, class_transformer_1.plainToInstance)(cls, payload);
    const errors = (0, class_validator_1.validateSync)(instance, { forbidUnknownValues: false });
    if (errors.length > 0) {
        const problems = errors.flatMap((e) => Object.values(e.constraints ?? { nested: `${e.property} is invalid` }).map((m) => m));
        throw new InvalidMessageError(cls.name, problems);
    }
    return instance;
}
//# sourceMappingURL=validate-message.js.map