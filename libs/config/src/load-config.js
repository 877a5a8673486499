"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadConfig = loadConfig;
const config_error_1 = require("./config-error");
/**
 * Reads every variable named in `spec` from `source` (the process environment by default) and
 * returns the typed values. An empty string counts as unset, so `SANDSTORM_URL=` in a compose
 * file means "use the default". All problems are collected before throwing one `ConfigError`.
 */
function loadConfig(spec, source = process.env) {
    const values = {};
    const problems = [];
    for (const [variable, field] of Object.entries(spec)) {
        const raw = source[variable];
        const result = field.parse(raw === '' ? undefined : raw);
        if (result.ok)
            values[variable] = result.value;
        else
            problems.push({ variable, message: result.message });
    }
    if (problems.length > 0)
        throw new config_error_1.ConfigError(problems);
    return values;
}
//# sourceMappingURL=load-config.js.map