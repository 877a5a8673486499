"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readUrlField = readUrlField;
const env_vars_util_1 = require("../templates/env-vars.util");
/**
 * `sandstorm_url` and webhooks: a string that may hold `${VAR}`s (resolved by whoever connects,
 * with the environment of that process). Without variables it must already be an http(s) URL;
 * with them it can only be checked once resolved.
 */
function readUrlField(reader, key) {
    const value = reader.string(key);
    if (value === undefined)
        return null;
    const syntaxErrors = (0, env_vars_util_1.envVarSyntaxErrors)(value);
    for (const error of syntaxErrors)
        reader.report(key, `${reader.name(key)}: ${error}`);
    if (syntaxErrors.length > 0)
        return null;
    if (!value.includes('${') && !isHttpUrl(value)) {
        reader.report(key, `${reader.name(key)} must be an http(s) URL or use \${VAR}, got '${value}'`);
        return null;
    }
    return value;
}
function isHttpUrl(text) {
    try {
        const url = new URL(text);
        return url.protocol === 'http:' || url.protocol === 'https:';
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=url-field.util.js.map