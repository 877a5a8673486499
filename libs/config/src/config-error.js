"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = void 0;
/**
 * Thrown at boot when the environment does not describe a runnable service. It carries every
 * problem at once, so an operator fixes the whole `.env` in one go instead of one restart per typo.
 */
class ConfigError extends Error {
    constructor(problems) {
        super(['invalid configuration:', ...problems.map((p) => `  - ${p.variable}: ${p.message}`)].join('\n'));
        this.name = 'ConfigError';
        this.problems = problems;
    }
}
exports.ConfigError = ConfigError;
//# sourceMappingURL=config-error.js.map