"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolveEnvVars = resolveEnvVars;
exports.envVarNames = envVarNames;
exports.envVarSyntaxErrors = envVarSyntaxErrors;
/**
 * `${VAR}` substitution for `sandstorm_url` and the webhooks (never prompts). The environment
 * is passed in: this library does no I/O. Unlike the original, an unset variable becomes an
 * empty string rather than staying `${VAR}`, so a caller sees "no URL" instead of connecting
 * to a literal "${SANDSTORM_URL}".
 */
const ENV_VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const ENV_VAR_AT_START = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
function resolveEnvVars(text, env) {
    return text.replace(ENV_VAR, (_whole, name) => Object.prototype.hasOwnProperty.call(env, name) ? (env[name] ?? '') : '');
}
/** Names of the `${VAR}`s used in `text`, in order of first use. */
function envVarNames(text) {
    return [...new Set(Array.from(text.matchAll(ENV_VAR), (m) => m[1] ?? ''))];
}
/** Describes each malformed `${...}` in `text` (`${}`, `${1X}`, `${A-B}`, a missing `}`). */
function envVarSyntaxErrors(text) {
    const errors = [];
    let from = 0;
    for (;;) {
        const at = text.indexOf('${', from);
        if (at < 0)
            return errors;
        const rest = text.slice(at);
        const valid = ENV_VAR_AT_START.exec(rest);
        if (valid) {
            from = at + valid[0].length;
            continue;
        }
        const close = rest.indexOf('}');
        const shown = close < 0 ? rest.slice(0, 20) : rest.slice(0, close + 1);
        errors.push(close < 0
            ? `'${shown}' has no closing '}'`
            : `'${shown}' is not a valid variable: use \${NAME} with letters, digits and _ (not starting with a digit)`);
        from = at + 2;
    }
}
//# sourceMappingURL=env-vars.util.js.map