import { type EnvSpec, type PresenceOptions, type Resolved } from './env-spec';
export interface StrOptions extends PresenceOptions<string> {
    /** Refuse values made only of whitespace. */
    nonEmpty?: boolean;
}
export interface RangeOptions extends PresenceOptions<number> {
    min?: number;
    max?: number;
}
export interface UrlOptions extends PresenceOptions<string> {
    /** Accepted `URL.protocol` values, with the colon: `['postgres:', 'postgresql:']`. */
    protocols?: string[];
}
/**
 * Field builders for `loadConfig`. Each one returns a spec whose value type follows from its
 * options (see `Resolved`). Numbers, booleans, URLs and enums ignore surrounding whitespace;
 * strings are kept exactly as written.
 */
export declare const env: {
    str<O extends StrOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<string, O>>;
    int<O extends RangeOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<number, O>>;
    num<O extends RangeOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<number, O>>;
    /** Without a default the variable is required: a flag nobody set is more often a mistake. */
    bool<O extends {
        default?: boolean;
    } = Record<never, never>>(o?: O): EnvSpec<Resolved<boolean, O>>;
    /**
     * The value stays a string (as written, minus surrounding whitespace). It must have the
     * `scheme://host` form: `localhost:8000` parses as a URL with protocol `localhost:`, and is
     * the typo this check exists for.
     */
    url<O extends UrlOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<string, O>>;
    /** Matches case-insensitively and yields the canonical spelling from `values`. */
    oneOf<const T extends string, O extends PresenceOptions<NoInfer<T>> = Record<never, never>>(values: readonly T[], o?: O): EnvSpec<Resolved<T, O>>;
};
