import type { FieldProblem } from '@sandcastle/contracts';
/** A plain mapping as YAML or JSON gives it (not an array, not a Buffer/Date/Map). */
export declare function isRecord(value: unknown): value is Record<string, unknown>;
/** Short, quoted rendering of a bad value for messages ("got 'linear'", "got a list"). */
export declare function describeValue(value: unknown): string;
export interface SectionPlace {
    /** Field path of the section itself: '' (top level), 'steps[1]', 'steps[1].retry'. */
    path: string;
    /** Who owns the section, named in messages: "step 'enrich'"; null at top level. */
    owner: string | null;
    /** How keys are named in messages: 'retry' gives "retry.backoff"; '' gives "backoff". */
    label: string;
}
/**
 * Reads typed fields out of one mapping of the workflow, recording a problem for every bad
 * field and carrying on, so that one parse reports everything that is wrong at once.
 * Absent keys and explicit nulls (`retry:` with nothing after it) both count as "not given".
 */
export declare class SectionReader {
    readonly raw: Record<string, unknown>;
    private readonly place;
    readonly problems: FieldProblem[];
    constructor(raw: Record<string, unknown>, place: SectionPlace, problems: FieldProblem[]);
    field(key: string): string;
    report(key: string | null, message: string): void;
    /** Reports a sentence about the owner: "step 'enrich' depends on unknown step 'scrap'". */
    reportAbout(key: string, predicate: string): void;
    /** The key as named in messages, e.g. `retry.backoff`. */
    name(key: string): string;
    has(key: string): boolean;
    get(key: string): unknown;
    /** Reports every key not in `allowed`; `misplaced` gives a better hint for known mistakes. */
    checkKeys(allowed: readonly string[], misplaced?: Readonly<Record<string, string>>): void;
    string(key: string, options?: {
        required?: boolean;
        allowEmpty?: boolean;
    }): string | undefined;
    integer(key: string, min: number, max: number): number | undefined;
    number(key: string, min: number, max: number): number | undefined;
    boolean(key: string): boolean | undefined;
    oneOf<T extends string>(key: string, values: readonly T[]): T | undefined;
    stringList(key: string): string[] | undefined;
    /** A nested mapping, or undefined (reported) when the value is something else. */
    mapping(key: string): Record<string, unknown> | undefined;
    /** A reader for a nested mapping at `key`, sharing this reader's problem list. */
    nested(key: string, value: Record<string, unknown>): SectionReader;
    private numeric;
}
