"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.describeConfig = describeConfig;
const env_spec_1 = require("./env-spec");
/**
 * A copy of `cfg` that is safe for the start log line: the values of `secretKeys` become `***`
 * (or stay `undefined` when unset, so the log still shows whether a secret is configured), and
 * passwords inside URL values (`postgres://u:pw@host`) are masked wherever they appear.
 */
function describeConfig(cfg, secretKeys) {
    const secrets = new Set(secretKeys);
    const described = {};
    for (const [key, value] of Object.entries(cfg)) {
        if (secrets.has(key))
            described[key] = value === undefined || value === '' ? value : '***';
        else
            described[key] = typeof value === 'string' ? (0, env_spec_1.maskUrlPassword)(value) : value;
    }
    return described;
}
//# sourceMappingURL=describe-config.js.map