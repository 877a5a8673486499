/** What parsing one variable produced: a value, or a sentence saying what is wrong with it. */
export type ParseResult<T> = {
    ok: true;
    value: T;
} | {
    ok: false;
    message: string;
};
/** How one environment variable is read. Built with `env.*`; consumed by `loadConfig`. */
export interface EnvSpec<T> {
    /** `raw` is `undefined` when the variable is unset or empty. */
    parse(raw: string | undefined): ParseResult<T>;
}
export type Spec = EnvSpec<unknown>;
/** The typed configuration object `loadConfig` returns for a spec map. */
export type ConfigOf<S extends Record<string, Spec>> = {
    [K in keyof S]: S[K] extends EnvSpec<infer T> ? T : never;
};
/** Options every builder shares: a value when unset, or permission to stay unset. */
export interface PresenceOptions<T> {
    default?: T;
    optional?: boolean;
}
/**
 * The value type a builder yields for its options: a default makes it always present,
 * `optional: true` (without a default) admits `undefined`, otherwise the variable is required.
 */
export type Resolved<T, O> = O extends {
    default: T;
} ? T : O extends {
    optional: true;
} ? T | undefined : T;
export declare const accept: <T>(value: T) => ParseResult<T>;
export declare const reject: (message: string) => ParseResult<never>;
/**
 * Wraps a parser of set values with the shared unset rules. Defaults are trusted as written:
 * they are code, not operator input.
 */
export declare function envSpec<T, O extends PresenceOptions<T>>(options: O | undefined, parseSet: (raw: string) => ParseResult<T>): EnvSpec<Resolved<T, O>>;
/** Quotes a rejected value for a message: URL passwords masked, very long values cut. */
export declare function got(raw: string): string;
/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; anything else unchanged. */
export declare function maskUrlPassword(value: string): string;
