"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.env = void 0;
const env_spec_1 = require("./env-spec");
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const TRUE_WORDS = ['true', '1', 'yes'];
const FALSE_WORDS = ['false', '0', 'no'];
function rangeText(o) {
    const { min, max } = o ?? {};
    if (min !== undefined && max !== undefined)
        return ` between ${min} and ${max}`;
    if (min !== undefined)
        return ` >= ${min}`;
    if (max !== undefined)
        return ` <= ${max}`;
    return '';
}
function inRange(n, o) {
    return (o?.min === undefined || n >= o.min) && (o?.max === undefined || n <= o.max);
}
/**
 * Field builders for `loadConfig`. Each one returns a spec whose value type follows from its
 * options (see `Resolved`). Numbers, booleans, URLs and enums ignore surrounding whitespace;
 * strings are kept exactly as written.
 */
exports.env = {
    str(o) {
        return (0, env_spec_1.envSpec)(o, (raw) => o?.nonEmpty && raw.trim() === '' ? (0, env_spec_1.reject)('must not be blank') : (0, env_spec_1.accept)(raw));
    },
    int(o) {
        return (0, env_spec_1.envSpec)(o, (raw) => {
            const text = raw.trim();
            const n = Number(text);
            return INTEGER.test(text) && Number.isSafeInteger(n) && inRange(n, o)
                ? (0, env_spec_1.accept)(n)
                : (0, env_spec_1.reject)(`must be an integer${rangeText(o)} ${(0, env_spec_1.got)(raw)}`);
        });
    },
    num(o) {
        return (0, env_spec_1.envSpec)(o, (raw) => {
            const text = raw.trim();
            const n = Number(text);
            return DECIMAL.test(text) && Number.isFinite(n) && inRange(n, o)
                ? (0, env_spec_1.accept)(n)
                : (0, env_spec_1.reject)(`must be a number${rangeText(o)} ${(0, env_spec_1.got)(raw)}`);
        });
    },
    /** Without a default the variable is required: a flag nobody set is more often a mistake. */
    bool(o) {
        return (0, env_spec_1.envSpec)(o, (raw) => {
            const word = raw.trim().toLowerCase();
            if (TRUE_WORDS.includes(word))
                return (0, env_spec_1.accept)(true);
            if (FALSE_WORDS.includes(word))
                return (0, env_spec_1.accept)(false);
            return (0, env_spec_1.reject)(`must be one of true/false, 1/0, yes/no ${(0, env_spec_1.got)(raw)}`);
        });
    },
    /**
     * The value stays a string (as written, minus surrounding whitespace). It must have the
     * `scheme://host` form: `localhost:8000` parses as a URL with protocol `localhost:`, and is
     * the typo this check exists for.
     */
    url(o) {
        return (0, env_spec_1.envSpec)(o, (raw) => {
            const text = raw.trim();
            const protocols = o?.protocols ?? [];
            const url = URL.canParse(text) && SCHEME.test(text) ? new URL(text) : undefined;
            if (url && url.host !== '' && (protocols.length === 0 || protocols.includes(url.protocol))) {
                return (0, env_spec_1.accept)(text);
            }
            const wanted = protocols.length > 0 ? ` with protocol ${protocols.join(' or ')}` : '';
            return (0, env_spec_1.reject)(`must be a URL${wanted} ${(0, env_spec_1.got)(raw)}`);
        });
    },
    /** Matches case-insensitively and yields the canonical spelling from `values`. */
    oneOf(values, o) {
        return (0, env_spec_1.envSpec)(o, (raw) => {
            const text = raw.trim();
            const match = values.find((v) => v === text) ?? values.find((v) => v.toLowerCase() === text.toLowerCase());
            return match !== undefined ? (0, env_spec_1.accept)(match) : (0, env_spec_1.reject)(`must be one of ${values.join(', ')} ${(0, env_spec_1.got)(raw)}`);
        });
    },
};
//# sourceMappingURL=env.js.map